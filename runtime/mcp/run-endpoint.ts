/**
 * Runs an endpoint for MCP on the same pieces the HTTP handler uses: the endpoint's
 * parameter parser, its compiled template, the pool's statement cache, `bindValues`,
 * pagination SQL and the JSON serialiser. Only the Koa request and response are left out.
 */
import { bindValues, type PooledConnection } from '../db/index.js';
import type { EndpointSpec, ParamLocation, ParamSpec, ServerSettings } from '../manifest.js';
import { compileParams, paginationParams, type FieldError, type ParamValue } from '../params/index.js';
import { compileTemplate, renderTemplate, type BoundValue } from '../template/index.js';
import { RESERVED_QUERY_KEYS, type HandlerContext } from '../app/endpoint-handler.js';
import { pageSql, pageValues } from '../app/pagination.js';
import { rowsJson } from '../app/rows-json.js';
import { enumParams, runWrite, usesAuth, usesOwnPaging } from '../app/endpoint-sql.js';
import { placeArguments } from './tool-arguments.js';
import { authTemplateValues, type AuthContext } from '../security/auth-context.js';

export type Row = Record<string, unknown>;

export type RunOutcome =
  | { ok: false; errors: FieldError[] }
  | {
      ok: true;
      rows: Row[];
      /** More rows than `maxRows` matched; only the first `maxRows` are in `rows`. */
      truncated: boolean;
      /** The offset of the next page when the endpoint pages and this page was full. */
      nextOffset?: number;
      /** Rows a write changed, when it returns no data. */
      rowsAffected?: number;
    };

/** What a tool call runs with: the same context an endpoint's HTTP handler gets. */
export type RunnerDeps = HandlerContext;

export interface EndpointRunner {
  readonly endpoint: EndpointSpec;
  /** Every parameter a call may give, pagination ones included, in declaration order. */
  readonly params: readonly ParamSpec[];
  /** `auth` is the verified caller, visible to the template as `auth.*` (row-level security). */
  run(args: Readonly<Record<string, unknown>> | undefined, options?: { maxRows?: number; auth?: AuthContext }): Promise<RunOutcome>;
}

function allParams(endpoint: EndpointSpec, server: ServerSettings): ParamSpec[] {
  if (!endpoint.pagination) return [...endpoint.params];
  const declared = new Set(endpoint.params.map((p) => p.name));
  return [...endpoint.params, ...paginationParams(server).filter((p) => !declared.has(p.name))];
}

async function readRows(lease: PooledConnection, sql: string, values: readonly BoundValue[]): Promise<Row[]> {
  const statement = await lease.prepare(sql, { readOnly: true });
  bindValues(statement, values);
  return JSON.parse(rowsJson(statement, await statement.run()).text) as Row[];
}

export function createEndpointRunner(endpoint: EndpointSpec, deps: RunnerDeps): EndpointRunner {
  const parser = compileParams(endpoint, deps.server, { reservedQueryKeys: RESERVED_QUERY_KEYS });
  const template = compileTemplate(endpoint.template.sql, { splice: enumParams(endpoint) });
  const params = allParams(endpoint, deps.server);
  const locations = new Map<string, ParamLocation>(params.map((p) => [p.name, p.in]));
  const isRead = endpoint.operation.type === 'read';
  const paged = endpoint.pagination && isRead;
  const ownPaging = paged && usesOwnPaging(template);
  const readsAuth = usesAuth(template);
  const { database, conn, env, cache } = deps;
  const timeoutMs = deps.server.requestTimeoutMs;

  async function read(lease: PooledConnection, sql: string, values: BoundValue[], parsed: Record<string, ParamValue>, maxRows: number | undefined): Promise<RunOutcome> {
    // One row beyond max-rows tells a truncated result from one that fits exactly.
    const cap = maxRows === undefined ? undefined : maxRows + 1;
    const pageLimit = paged ? Number(parsed['limit']) : undefined;
    const offset = paged ? Number(parsed['offset']) : 0;
    let rows: Row[];
    if (pageLimit !== undefined && !ownPaging) {
      const limit = cap === undefined ? pageLimit : Math.min(pageLimit, cap);
      rows = await readRows(lease, pageSql(sql, values.length), pageValues(values, limit, offset));
    } else if (cap !== undefined) {
      rows = await readRows(lease, pageSql(sql, values.length), pageValues(values, cap, 0));
    } else {
      rows = await readRows(lease, sql, values);
    }
    const truncated = maxRows !== undefined && rows.length > maxRows;
    if (truncated) rows = rows.slice(0, maxRows);
    const out: RunOutcome = { ok: true, rows, truncated };
    if (pageLimit !== undefined && !truncated && rows.length >= pageLimit) out.nextOffset = offset + pageLimit;
    return out;
  }

  async function write(lease: PooledConnection, sql: string, values: BoundValue[]): Promise<RunOutcome> {
    const { statement, result } = await runWrite(lease, endpoint, sql, values, database);
    return endpoint.operation.returnsData
      ? { ok: true, rows: JSON.parse(rowsJson(statement, result).text) as Row[], truncated: false }
      : { ok: true, rows: [], truncated: false, rowsAffected: result.rowsChanged };
  }

  return {
    endpoint,
    params,
    async run(args, options = {}) {
      const placed = placeArguments(args, locations);
      const parsed = parser.parse(placed.input);
      if (!parsed.ok || placed.errors.length > 0) {
        const own = new Set(placed.errors.map((e) => e.field));
        const rest = parsed.ok ? [] : parsed.errors.filter((e) => !own.has(e.field));
        return { ok: false, errors: [...placed.errors, ...rest] };
      }
      const auth = readsAuth ? authTemplateValues(options.auth ?? { authenticated: false, roles: [] }) : undefined;
      const { sql, values } = renderTemplate(template, { params: parsed.values, conn, env, cache, ...(auth !== undefined ? { auth } : {}) });
      const lease = await database.pool.acquire();
      const timer = timeoutMs > 0 ? setTimeout(() => lease.connection.interrupt(), timeoutMs) : undefined;
      try {
        return isRead ? await read(lease, sql, values, parsed.values, options.maxRows) : await write(lease, sql, values);
      } finally {
        if (timer !== undefined) clearTimeout(timer);
        database.pool.release(lease);
      }
    },
  };
}
