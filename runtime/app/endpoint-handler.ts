/**
 * One endpoint's request handler. Everything that depends only on the endpoint (the
 * parameter parser, the compiled template, the `conn`/`env` context, whether it pages)
 * is built here once; a request validates, renders, borrows a connection, binds, runs.
 */
import type { Context } from 'koa';
import type { Database, PooledConnection } from '../db/index.js';
import { bindValues } from '../db/index.js';
import type { EndpointSpec, ServerSettings } from '../manifest.js';
import { compileParams } from '../params/index.js';
import { compileTemplate, renderTemplate, type BoundValue } from '../template/index.js';
import { negotiateFormat, RESPONSE_FORMATS } from '../formats/index.js';
import { enumParams, runWrite, usesAuth, usesOwnPaging } from './endpoint-sql.js';
import { respondInFormat } from './format-response.js';
import { ClientError, ValidationFailed } from './http-errors.js';
import { CountCache } from './count-cache.js';
import { createJsonReader } from './json-read.js';
import { readJsonBody } from './read-json-body.js';
import { countSql, nextLink, pageSql, pageValues, totalFromPage } from './pagination.js';
import { rowsJson, type RowsJson } from './rows-json.js';
import { authOf, authTemplateValues } from '../security/index.js';

export interface HandlerContext {
  database: Database;
  server: ServerSettings;
  /** Properties of the endpoint's first connection, visible as `conn.*`. */
  conn: Record<string, unknown>;
  /** Whitelisted environment, visible as `env.*`. */
  env: Record<string, unknown>;
  /** The endpoint's cache location, visible as `cache.*` (config values, never request data). */
  cache?: Record<string, unknown>;
}

/** Query keys every endpoint accepts besides its parameters (format negotiation). */
export const RESERVED_QUERY_KEYS = ['format'] as const;

const JSON_TYPE = 'application/json; charset=utf-8';

async function runRows(lease: PooledConnection, sql: string, values: readonly BoundValue[]): Promise<RowsJson> {
  const statement = await lease.prepare(sql, { readOnly: true });
  bindValues(statement, values);
  return rowsJson(statement, await statement.run());
}

/**
 * A page and its total from one snapshot: a cache refresh committing between the two
 * queries would otherwise give the rows of one version and the count of the next.
 */
async function runPageAndCount(
  lease: PooledConnection, sql: string, values: readonly BoundValue[], limit: number, offset: number,
): Promise<{ rows: RowsJson; total: number }> {
  await lease.connection.run('BEGIN TRANSACTION');
  try {
    const rows = await runRows(lease, pageSql(sql, values.length), pageValues(values, limit, offset));
    const total = totalFromPage(limit, offset, rows.rowCount) ?? (await runCount(lease, sql, values));
    await lease.connection.run('COMMIT');
    return { rows, total };
  } catch (err) {
    await lease.connection.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function runCount(lease: PooledConnection, sql: string, values: readonly BoundValue[]): Promise<number> {
  const statement = await lease.prepare(countSql(sql), { readOnly: true });
  bindValues(statement, values);
  const result = await statement.run();
  const total = (await result.getRows())[0]?.[0];
  return Number(total ?? 0);
}

export function createEndpointHandler(endpoint: EndpointSpec, deps: HandlerContext): (ctx: Context) => Promise<void> {
  const parser = compileParams(endpoint, deps.server, { reservedQueryKeys: RESERVED_QUERY_KEYS });
  const template = compileTemplate(endpoint.template.sql, { splice: enumParams(endpoint) });
  const isRead = endpoint.operation.type === 'read';
  const paged = endpoint.pagination && isRead;
  const ownPaging = paged && usesOwnPaging(template);
  const readsAuth = usesAuth(template);
  const { database, conn, env, cache } = deps;
  const pool = database.pool;
  const bodyLimit = deps.server.bodyLimit;
  const timeoutMs = deps.server.requestTimeoutMs;
  const jsonReader = createJsonReader();
  // `limits.max-rows`: a page never exceeds it, an unpaged read is cut off at it.
  const maxRows = deps.server.maxRows !== undefined && deps.server.maxRows > 0 ? deps.server.maxRows : undefined;
  const capsRows = maxRows !== undefined && isRead && !(paged && !ownPaging);
  const capped = (rendered: { sql: string; values: BoundValue[] }) =>
    capsRows ? { sql: pageSql(rendered.sql, rendered.values.length), values: pageValues(rendered.values, maxRows!, 0) } : rendered;
  const counts = paged && !ownPaging ? new CountCache(() => database.dataVersion) : undefined;

  return async function handleEndpoint(ctx: Context): Promise<void> {
    ctx.state['endpoint'] = endpoint.name;
    const format = isRead ? negotiateFormat(ctx.get('Accept') || undefined, queryFormat(ctx.query['format'])) : 'json';
    if (format === undefined) {
      throw new ClientError(406, `unsupported format: ask for one of ${RESPONSE_FORMATS.join(', ')} (Accept header or ?format=)`);
    }
    const body = parser.needsBody ? await readJsonBody(ctx, bodyLimit) : undefined;
    const parsed = parser.parse({ query: ctx.query, path: ctx.params ?? {}, headers: ctx.headers, body });
    if (!parsed.ok) throw new ValidationFailed(parsed.errors);
    const params = parsed.values;
    // `auth.*` is the identity the security middleware verified, bound like any parameter.
    const auth = readsAuth ? authTemplateValues(authOf(ctx.state)) : undefined;
    const { sql, values } = capped(renderTemplate(template, { params, conn, env, cache, ...(auth !== undefined ? { auth } : {}) }));
    if (maxRows !== undefined && isRead) ctx.set('X-Max-Rows', String(maxRows));

    const lease = await pool.acquire();
    let timer = timeoutMs > 0 ? setTimeout(interrupt, timeoutMs, lease) : undefined;
    let handedOver = false;
    try {
      if (format !== 'json') {
        const page = paged && !ownPaging;
        const limit = pageLimit(params['limit'], maxRows);
        const offset = Number(params['offset']);
        // A long export is bounded by the client reading it, not by the request timeout.
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        handedOver = true;
        await respondInFormat({
          ctx,
          format,
          lease,
          sql: page ? pageSql(sql, values.length) : sql,
          values: page ? pageValues(values, limit, offset) : values,
          name: endpoint.name,
          release: () => pool.release(lease),
        });
        return;
      }
      if (!paged && !isRead) {
        ctx.type = JSON_TYPE;
        ctx.body = await writeText(lease, endpoint, sql, values, database);
        return;
      }
      if (!paged) {
        const read = await jsonReader.read({ lease, sql, values, release: () => pool.release(lease) });
        ctx.type = JSON_TYPE;
        if (read.kind === 'buffered') {
          ctx.body = read.text;
          return;
        }
        // Bounded by the client reading it from here on, like any other streamed format.
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        handedOver = read.holdsLease;
        ctx.body = read.body;
        return;
      }
      const limit = pageLimit(params['limit'], maxRows);
      const offset = Number(params['offset']);
      let rows: RowsJson | undefined;
      let total: number | undefined;
      if (ownPaging) {
        rows = await runRows(lease, sql, values);
      } else {
        const version = database.dataVersion;
        const known = counts!.get(sql, values);
        if (known !== undefined) {
          rows = await runRows(lease, pageSql(sql, values.length), pageValues(values, limit, offset));
          // A short last page tells the total too; a remembered count holds while the data version does.
          total = totalFromPage(limit, offset, rows.rowCount) ?? (database.dataVersion === version ? known : undefined);
        }
        if (rows === undefined || total === undefined) {
          ({ rows, total } = await runPageAndCount(lease, sql, values, limit, offset));
          counts!.set(sql, values, total, version);
        }
      }
      const next = nextLink(ctx.path, ctx.querystring, limit, offset, rows.rowCount, total);
      if (total !== undefined) ctx.set('X-Total-Count', String(total));
      ctx.type = JSON_TYPE;
      ctx.body = `{"data":${rows.text},"next":${JSON.stringify(next)},"total_count":${total === undefined ? 'null' : total}}`;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      if (!handedOver) pool.release(lease);
    }
  };
}

function pageLimit(value: unknown, maxRows: number | undefined): number {
  const limit = Number(value);
  return maxRows !== undefined && limit > maxRows ? maxRows : limit;
}

function queryFormat(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Stops a query past the request timeout; DuckDB then rejects it with an INTERRUPT error. */
function interrupt(lease: PooledConnection): void {
  lease.connection.interrupt();
}

async function writeText(
  lease: PooledConnection,
  endpoint: EndpointSpec,
  sql: string,
  values: readonly BoundValue[],
  database: Database,
): Promise<string> {
  const { statement, result } = await runWrite(lease, endpoint, sql, values, database);
  return endpoint.operation.returnsData ? rowsJson(statement, result).text : JSON.stringify({ rows_affected: result.rowsChanged });
}
