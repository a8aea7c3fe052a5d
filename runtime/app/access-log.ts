/**
 * One access line per request, at info: method, path, status, milliseconds, rows,
 * response-cache hit or miss and request id. The path carries no query string: query
 * values can be personal data, and `log-parameters` is the opt-in for those.
 */
import type { Context, Next } from 'koa';
import type { Logger } from './logger.js';

export interface AccessFields {
  method: string;
  path: string;
  status: number;
  /** From the request's arrival until the last byte was handed to the socket. */
  ms: number;
  /** Rows the endpoint answered, when the handler says (`ctx.state.rows`). */
  rows?: number;
  /** From the `X-Cache` response header, when the response cache saw the request. */
  cache?: 'hit' | 'miss' | 'shared';
  request_id: string;
  /** True when the client went away before the response was complete. */
  aborted?: boolean;
}

/** Writes one access line; also called by the path that answers cache hits before Koa. */
export function logAccess(logger: Logger, fields: AccessFields): void {
  const rows = fields.rows === undefined ? '' : ` rows=${fields.rows}`;
  const cache = fields.cache === undefined ? '' : ` cache=${fields.cache}`;
  const aborted = fields.aborted ? ' aborted' : '';
  logger.info(`${fields.method} ${fields.path} ${fields.status} ${fields.ms}ms${rows}${cache}${aborted}`, { ...fields });
}

/** `X-Cache: HIT|MISS|SHARED` → `hit|miss|shared`; anything else (no cache in play) → undefined. */
export function cacheOutcome(header: unknown): 'hit' | 'miss' | 'shared' | undefined {
  const value = typeof header === 'string' ? header.toUpperCase() : '';
  return value === 'HIT' ? 'hit' : value === 'MISS' ? 'miss' : value === 'SHARED' ? 'shared' : undefined;
}

/** Milliseconds since `start` (a `performance.now()` reading), to 0.1 ms. */
export function elapsedMs(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}

/**
 * Koa middleware; register it right after the request id so every answer, error
 * pages included, is logged with its final status. The line is written when the
 * response has gone out (or the client went away), so streamed bodies count in full.
 */
export function accessLog(logger: Logger) {
  return async function logRequest(ctx: Context, next: Next): Promise<void> {
    const start = performance.now();
    try {
      await next();
    } finally {
      const res = ctx.res;
      const write = (): void => {
        const rows = ctx.state['rows'];
        const cache = cacheOutcome(res.getHeader('x-cache'));
        logAccess(logger, {
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: elapsedMs(start),
          ...(typeof rows === 'number' ? { rows } : {}),
          ...(cache ? { cache } : {}),
          request_id: String(ctx.state['requestId'] ?? ''),
          ...(res.writableFinished ? {} : { aborted: true }),
        });
      };
      if (res.writableFinished || res.destroyed) write();
      else res.once('close', write);
    }
  };
}
