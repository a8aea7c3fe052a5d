/**
 * The HTTP surface of an endpoint plan: reads the request's parts into the plan's parser,
 * asks the response cache with the plan's key, borrows a connection under a query guard,
 * and writes the result in the negotiated format. Validation, binding, paging, row caps
 * and the cache key all come from the plan (runtime/plan/), so they are the same as for
 * MCP and every other surface.
 */
import type { Context } from 'koa';
import type { PooledConnection } from '../db/index.js';
import { negotiateFormat, RESPONSE_FORMATS, type ResponseFormat } from '../formats/index.js';
import { createJsonReader, createKeyBatcher, guardQuery, nextLink, readPage, readQuery, rowsJson, type PlanExecutor, type RowsJson } from '../plan/index.js';
import { identityOf, type ResponseCache } from '../response-cache/index.js';
import { authOf } from '../security/auth-context.js';
import type { RenderedSql } from '../template/index.js';
import type { ParamValue } from '../params/index.js';
import { respondInFormat } from './format-response.js';
import { ClientError, ValidationFailed } from './http-errors.js';
import { readJsonBody } from './read-json-body.js';
import { watchSlowReader } from './slow-reader.js';
import type { StreamSlots } from './stream-slots.js';
import { JSON_CONTENT_TYPE } from './json-content-type.js';
import { elapsedMs } from './access-log.js';
import type { Logger } from './logger.js';
import { logQuery, type QueryLogSettings } from './query-log.js';

export interface HandlerOptions {
  responseCache?: ResponseCache;
  /** Where `log-queries` / `log-parameters` lines go (runtime/app/query-log.ts). */
  logger?: Logger;
  queryLog?: QueryLogSettings;
  /** The raw request decides this endpoint's answer: file entries under it for the below-Koa path. */
  rawAlias?: boolean;
  /** A streamed response whose client reads nothing for this long is cut off. */
  streamIdleMs: number;
  /** Shared by every endpoint of the app: how many streams may hold a connection at once. */
  streamSlots?: StreamSlots;
}


function queryFormat(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) throw new ValidationFailed([{ field: 'format', message: 'must be given once' }]);
  return value;
}

export function createEndpointHandler(executor: PlanExecutor, options: HandlerOptions): (ctx: Context) => Promise<void> {
  const { plan, database } = executor;
  const { endpoint, parser, isRead } = plan;
  const pool = database.pool;
  const jsonReader = createJsonReader({ bigint: plan.bigint });
  const queryLog = options.logger !== undefined && options.queryLog !== undefined && (options.queryLog.logQueries || options.queryLog.logParameters)
    ? { logger: options.logger, settings: options.queryLog }
    : undefined;
  /** One line per query run for a request, when the endpoint's connection asks for it. */
  const logRun = (ctx: Context, sql: string, values: readonly unknown[], started: number, rows?: number, batch?: number) => {
    if (queryLog === undefined) return;
    logQuery(queryLog.logger, queryLog.settings, {
      endpoint: endpoint.name, sql, values, ms: elapsedMs(started), ...(rows !== undefined ? { rows } : {}), request_id: String(ctx.state['requestId'] ?? ''), batch,
    });
  };
  const cache = isRead ? options.responseCache : undefined;
  const batcher = plan.coalesce ? createKeyBatcher({ pool, bigint: plan.bigint, timeoutMs: plan.timeoutMs }) : undefined;

  /** A page's body and headers: `{data, next, total_count}` and flAPI's X-* paging headers. */
  function sendPage(ctx: Context, rows: RowsJson, total: number | undefined, page: { limit: number; offset: number }): void {
    const { limit, offset } = page;
    const next = nextLink(ctx.path, ctx.querystring, limit, offset, rows.rowCount, total);
    if (total !== undefined) ctx.set('X-Total-Count', String(total));
    ctx.set('X-Offset', String(offset));
    ctx.set('X-Limit', String(limit));
    ctx.set('X-Next', next ?? '');
    ctx.state['rows'] = rows.rowCount;
    ctx.set('Content-Type', JSON_CONTENT_TYPE);
    ctx.body = `{"data":${rows.text},"next":${JSON.stringify(next)},"total_count":${total === undefined ? 'null' : total}}`;
  }

  /**
   * A read answered with concurrent lookups of the same key query: true when answered; else
   * it runs alone, on the connection it waited for when there is one.
   */
  async function runBatched(ctx: Context, params: Readonly<Record<string, ParamValue>>, rendered: RenderedSql): Promise<true | PooledConnection | undefined> {
    const started = performance.now();
    const page = plan.paging === 'outer' ? readPage(plan, params) : undefined;
    const batched = batcher!.lookup(rendered, page ?? { offset: 0, limit: plan.maxRows });
    const rows = batched === undefined ? undefined : await batched;
    if (rows === undefined) return undefined;
    if ('lease' in rows) return rows.lease;
    logRun(ctx, rendered.sql, rendered.values, started, rows.rowCount, rows.batch);
    if (plan.maxRows !== undefined) ctx.set('X-Max-Rows', String(plan.maxRows));
    if (page !== undefined) return (sendPage(ctx, rows, rows.total, page), true);
    ctx.state['rows'] = rows.rowCount;
    ctx.set('Content-Type', JSON_CONTENT_TYPE);
    ctx.body = rows.text;
    return true;
  }

  async function run(ctx: Context, format: ResponseFormat, params: Readonly<Record<string, ParamValue>>, rendered: RenderedSql): Promise<void> {
    const lent = batcher !== undefined && format === 'json' && rendered.values.length === 1 ? await runBatched(ctx, params, rendered) : undefined;
    if (lent === true) return;
    // A streamed export waits for its slot before it borrows a connection, so waiting never holds one.
    const slots = isRead && format !== 'json' && format !== 'parquet' ? options.streamSlots : undefined;
    if (slots !== undefined) await slots.take();
    let lease: PooledConnection;
    try {
      lease = lent ?? (await pool.acquire());
    } catch (err) {
      slots?.give();
      throw err;
    }
    const started = performance.now();
    const guard = guardQuery(lease, plan.timeoutMs);
    // A client that goes away interrupts its query at once.
    const onClose = () => {
      if (!ctx.res.writableFinished) guard.abort();
    };
    ctx.res.once('close', onClose);
    let handedOver = false;
    const release = () => {
      guard.stop();
      ctx.res.off('close', onClose);
      pool.release(lease);
      slots?.give();
    };
    try {
      if (!isRead) {
        const { statement, result, rowsAffected } = await executor.write(lease, rendered);
        // A POST creates (flAPI answers 201); PUT, PATCH and DELETE change what exists.
        if (ctx.method === 'POST') ctx.status = 201;
        ctx.set('Content-Type', JSON_CONTENT_TYPE);
        ctx.body = endpoint.operation.returnsData ? rowsJson(statement, result, plan.bigint).text : JSON.stringify({ rows_affected: rowsAffected });
        logRun(ctx, rendered.sql, rendered.values, started, rowsAffected);
        return;
      }
      const query = readQuery(plan, rendered, params);
      if (plan.maxRows !== undefined) ctx.set('X-Max-Rows', String(plan.maxRows));
      if (format !== 'json') {
        handedOver = true;
        await respondInFormat({ ctx, format, lease, sql: query.sql, values: query.values, name: endpoint.name, release, guard, bigint: plan.bigint });
        logRun(ctx, query.sql, query.values, started);
        watchSlowReader(ctx.res, options.streamIdleMs, () => guard.abort());
        return;
      }
      if (query.page === undefined) {
        const read = await jsonReader.read({ lease, sql: query.sql, values: query.values, release });
        logRun(ctx, query.sql, query.values, started, read.kind === 'buffered' ? read.rowCount : undefined);
        ctx.set('Content-Type', JSON_CONTENT_TYPE);
        if (read.kind === 'buffered') {
          ctx.state['rows'] = read.rowCount;
          ctx.body = read.text;
          return;
        }
        handedOver = read.holdsLease;
        guard.settle();
        ctx.body = read.body;
        watchSlowReader(ctx.res, options.streamIdleMs, () => guard.abort());
        return;
      }
      const { rows, total } = plan.paging === 'own'
        ? { rows: await executor.jsonRows(lease, query), total: undefined }
        : await executor.jsonPage(lease, rendered, query);
      logRun(ctx, query.sql, query.values, started, rows.rowCount);
      sendPage(ctx, rows, total, query.page);
    } finally {
      // A streamed body that holds the lease is still bounded by its reader (slow-reader.ts).
      if (!handedOver) release();
    }
  }

  return async function handleEndpoint(ctx: Context): Promise<void> {
    ctx.state['endpoint'] = endpoint.name;
    const format = isRead ? negotiateFormat(ctx.get('Accept') || undefined, queryFormat(ctx.query['format'])) : 'json';
    if (format === undefined) {
      throw new ClientError(406, `unsupported format: ask for one of ${RESPONSE_FORMATS.join(', ')} (Accept header or ?format=)`);
    }
    const body = parser.needsBody ? await readJsonBody(ctx, plan.bodyLimit) : undefined;
    const parsed = parser.parse({ query: ctx.query, path: ctx.params ?? {}, headers: ctx.headers, body });
    if (!parsed.ok) throw new ValidationFailed(parsed.errors);
    const params = parsed.values;
    const auth = authOf(ctx.state);
    // Rendered only on a miss: a cache hit needs the validated inputs, not the SQL.
    const produce = () => run(ctx, format, params, plan.render(params, auth));
    if (cache === undefined || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return produce();
    const key = plan.cacheKey({ params, identity: identityOf(ctx), format, version: cache.version() });
    const alias = options.rawAlias === true && ctx.method === 'GET' && !auth.authenticated
      ? { path: ctx.path, querystring: ctx.querystring, headers: ctx.req.headers }
      : undefined;
    return cache.respond(ctx, key, produce, alias);
  };
}
