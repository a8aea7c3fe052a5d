/**
 * An endpoint compiled once from the manifest into everything a request needs: the
 * parameter parser, the compiled template and its splice set, how it pages, whether it
 * reads `auth.*`, its row cap and timeout, and its response-cache key. HTTP, MCP tools and
 * resources, `flapi test` (through HTTP), the Lambda adapter, the artifact check and the
 * compiler's dry-run all run an endpoint through its plan, so they validate, bind and
 * limit it the same way.
 */
import type { EndpointSpec, ParamSpec, ServerSettings } from '../manifest.js';
import { compileParams, paginationParams, type ParamParser, type ParamValue } from '../params/index.js';
import { compileTemplate, renderTemplate, type CompiledTemplate, type RenderedSql } from '../template/index.js';
import { authTemplateValues, type AuthContext } from '../security/auth-context.js';
import type { BigintMode } from '../serialize/index.js';
import { planCacheKey, type KeyInput } from './plan-cache-key.js';
import type { RenderContext } from './render-context.js';
import { spliceParams } from './splice-rule.js';

/** Query keys every endpoint accepts besides its parameters (format negotiation). */
export const RESERVED_QUERY_KEYS = ['format'] as const;

/**
 * - `none`: not paged (writes, and reads with `with-pagination: false`);
 * - `outer`: the plan wraps the SQL in LIMIT/OFFSET and counts the total;
 * - `own`: the template reads `params.limit`/`params.offset` and pages itself.
 */
export type Paging = 'none' | 'outer' | 'own';

export interface EndpointPlan {
  readonly endpoint: EndpointSpec;
  readonly parser: ParamParser;
  /** Every parameter a caller may give, pagination ones included, in declaration order. */
  readonly params: readonly ParamSpec[];
  readonly template: CompiledTemplate;
  /** Enum-validated params and their allowed values: the only request values ever spliced. */
  readonly splice: ReadonlyMap<string, readonly string[]>;
  readonly isRead: boolean;
  readonly paging: Paging;
  readonly readsAuth: boolean;
  /** `limits.max-rows`: no read returns more rows, on any surface. */
  readonly maxRows: number | undefined;
  readonly timeoutMs: number;
  /** Largest request body read for body parameters. */
  readonly bodyLimit: number;
  /** How wide integers are written (`serialization.bigint`). */
  readonly bigint: BigintMode;
  /** The page a request gets when it names no `limit` (also when the endpoint declares `limit` itself), and the largest. */
  readonly defaultLimit: number;
  readonly maxLimit: number;
  readonly context: RenderContext;
  /**
   * Concurrent requests may share one query (runtime/plan/key-batcher.ts): a GET read that
   * does not page itself, whose endpoint did not turn `coalesce-lookups` off. Whether its SQL is a key
   * lookup DuckDB answers from an index is decided per SQL text when it first runs.
   */
  readonly coalesce: boolean;
  /** The SQL and bound values for validated params and the verified caller. */
  render(params: Readonly<Record<string, ParamValue>>, auth?: AuthContext): RenderedSql;
  cacheKey(input: KeyInput): string;
}

function allParams(endpoint: EndpointSpec, server: ServerSettings): ParamSpec[] {
  if (!endpoint.pagination) return [...endpoint.params];
  const declared = new Set(endpoint.params.map((p) => p.name));
  return [...endpoint.params, ...paginationParams(server).filter((p) => !declared.has(p.name))];
}

const ANONYMOUS_AUTH: AuthContext = { authenticated: false, roles: [] };

export function compilePlan(endpoint: EndpointSpec, server: ServerSettings, context: RenderContext): EndpointPlan {
  const splice = spliceParams(endpoint.params);
  const parser = compileParams(endpoint, server, { reservedQueryKeys: RESERVED_QUERY_KEYS, readBody: endpoint.method !== 'GET' });
  const template = compileTemplate(endpoint.template.sql, { splice });
  const params = allParams(endpoint, server);
  const isRead = endpoint.operation.type === 'read';
  const ownPaging = template.references.some((r) => r.namespace === 'params' && (r.key === 'limit' || r.key === 'offset'));
  const paging: Paging = !endpoint.pagination || !isRead ? 'none' : ownPaging ? 'own' : 'outer';
  const readsAuth = template.references.some((r) => r.namespace === 'auth');
  const maxRows = server.maxRows !== undefined && server.maxRows > 0 ? server.maxRows : undefined;
  const names = params.map((p) => p.name);
  const known = new Set(names);
  const { conn, env, cache } = context;
  return {
    endpoint,
    parser,
    params,
    template,
    splice,
    isRead,
    paging,
    readsAuth,
    maxRows,
    timeoutMs: server.requestTimeoutMs,
    bodyLimit: server.bodyLimit,
    bigint: server.bigint ?? 'auto',
    defaultLimit: server.defaultLimit,
    maxLimit: server.maxLimit,
    context,
    coalesce: isRead && paging !== 'own' && endpoint.method === 'GET' && endpoint.coalesceLookups !== false,
    render(values, auth) {
      const authValues = readsAuth ? { auth: authTemplateValues(auth ?? ANONYMOUS_AUTH) } : undefined;
      return renderTemplate(template, { params: values, conn, env, ...(cache ? { cache } : {}), ...authValues });
    },
    cacheKey: (input) => planCacheKey(endpoint.name, names, known, input),
  };
}
