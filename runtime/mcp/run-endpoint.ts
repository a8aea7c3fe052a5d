/**
 * The MCP surface of an endpoint plan: tool arguments are placed where the endpoint reads
 * its parameters and go through the plan's parser, template, row cap and query guard,
 * exactly as an HTTP request does. Only the Koa request and response are left out, and
 * rows come back as objects (an agent gets them as JSON, a program as structured content).
 */
import type { ParamLocation, ParamSpec } from '../manifest.js';
import type { FieldError } from '../params/index.js';
import { guardQuery, readQuery, type EndpointPlan, type PlanExecutor } from '../plan/index.js';
import { rowObjectsFromResult } from '../serialize/index.js';
import type { AuthContext } from '../security/auth-context.js';
import { placeArguments } from './tool-arguments.js';

export type Row = Record<string, unknown>;

/** Rows an MCP call returns at most when neither the tool nor `limits.max-rows` says. */
export const DEFAULT_MCP_MAX_ROWS = 1000;

export type RunOutcome =
  | { ok: false; errors: FieldError[] }
  | {
      ok: true;
      rows: Row[];
      /** More rows than the cap matched; only the first `maxRows` are in `rows`. */
      truncated: boolean;
      /** The cap applied to this call. */
      maxRows: number;
      /** The offset of the next page when the endpoint pages and this page was full. */
      nextOffset?: number;
      /** Rows a write changed, when it returns no data. */
      rowsAffected?: number;
    };

export interface EndpointRunner {
  readonly plan: EndpointPlan;
  /** Every parameter a call may give, pagination ones included, in declaration order. */
  readonly params: readonly ParamSpec[];
  /**
   * `maxRows` narrows the cap (a tool's `max-rows`); it never widens `limits.max-rows`.
   * `auth` is the verified caller, visible to the template as `auth.*`.
   */
  run(args: Readonly<Record<string, unknown>> | undefined, options?: { maxRows?: number; auth?: AuthContext }): Promise<RunOutcome>;
}

/** The cap of one call: the tightest of the tool's, the server's, and the MCP default. */
export function mcpRowCap(plan: EndpointPlan, toolMax: number | undefined): number {
  const caps = [toolMax, plan.maxRows].filter((n): n is number => n !== undefined && n > 0);
  return caps.length === 0 ? DEFAULT_MCP_MAX_ROWS : Math.min(...caps);
}

export function createEndpointRunner(executor: PlanExecutor): EndpointRunner {
  const { plan, database } = executor;
  const locations = new Map<string, ParamLocation>(plan.params.map((p) => [p.name, p.in]));
  return {
    plan,
    params: plan.params,
    async run(args, options = {}) {
      const placed = placeArguments(args, locations);
      const parsed = plan.parser.parse(placed.input);
      if (!parsed.ok || placed.errors.length > 0) {
        const own = new Set(placed.errors.map((e) => e.field));
        const rest = parsed.ok ? [] : parsed.errors.filter((e) => !own.has(e.field));
        return { ok: false, errors: [...placed.errors, ...rest] };
      }
      const rendered = plan.render(parsed.values, options.auth);
      const maxRows = mcpRowCap(plan, options.maxRows);
      const lease = await database.pool.acquire();
      const guard = guardQuery(lease, plan.timeoutMs);
      try {
        if (!plan.isRead) {
          const { result, rowsAffected } = await executor.write(lease, rendered);
          if (!plan.endpoint.operation.returnsData) return { ok: true, rows: [], truncated: false, maxRows, rowsAffected };
          const rows = (await rowObjectsFromResult(result, plan.bigint)) as Row[];
          return { ok: true, rows: rows.slice(0, maxRows), truncated: rows.length > maxRows, maxRows };
        }
        // One row beyond the cap tells a cut-off result from one that fits exactly; no more is ever read.
        const query = readQuery(plan, rendered, parsed.values, maxRows + 1);
        let rows = (await executor.rowObjects(lease, query)) as Row[];
        const truncated = rows.length > maxRows;
        if (truncated) rows = rows.slice(0, maxRows);
        const out: RunOutcome = { ok: true, rows, truncated, maxRows };
        const page = query.page;
        if (page !== undefined && !truncated && rows.length >= page.limit) out.nextOffset = page.offset + page.limit;
        return out;
      } finally {
        guard.stop();
        database.pool.release(lease);
      }
    },
  };
}
