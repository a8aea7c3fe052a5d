/**
 * Turns every failure into a JSON body. Client errors say what was wrong; anything
 * unexpected is a 500 that names only the request id, with the detail in the log.
 * Also gives router misses (404, 405) a JSON body instead of Koa's plain text.
 */
import { STATUS_CODES } from 'node:http';
import type { Context, Next } from 'koa';
import { ClientError, ValidationFailed, isInterruptError, isMissingFileError, isPermissionError, isValueConversionError } from './http-errors.js';
import type { Logger } from './logger.js';
import { refusedParameter } from './conversion-error.js';
import { PoolBusyError } from '../db/connection-pool.js';

interface StatusError {
  status?: unknown;
  expose?: unknown;
  message?: unknown;
  headers?: unknown;
}

function statusText(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

export function errorMiddleware(logger: Logger) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if ((ctx.body === undefined || ctx.body === null) && ctx.status >= 400) {
        const status = ctx.status;
        ctx.body = { error: statusText(status) };
        ctx.status = status;
      }
    } catch (err) {
      const requestId = String(ctx.state['requestId'] ?? '');
      if (err instanceof ValidationFailed) {
        ctx.status = 400;
        ctx.body = { errors: err.errors };
        return;
      }
      if (err instanceof ClientError) {
        ctx.status = err.status;
        ctx.body = { error: err.message };
        return;
      }
      if (isValueConversionError(err)) {
        ctx.status = 400;
        const field = refusedParameter(err as Error, ctx);
        ctx.body = {
          errors: [{ field: field ?? 'request', message: field ? 'does not fit the type the query expects' : 'a parameter value does not fit the type the query expects' }],
        };
        // The detail holds the request's value, which may be huge: the logger cuts it.
        logger.info('value conversion refused', { request_id: requestId, ...(field ? { field } : {}), detail: (err as Error).message });
        return;
      }
      if (err instanceof PoolBusyError) {
        ctx.status = 503;
        ctx.set('Retry-After', String(err.retryAfterSeconds));
        ctx.body = { error: err.message, request_id: requestId };
        return;
      }
      if (isMissingFileError(err)) {
        ctx.status = 404;
        // The message names the path: the client gets none of it.
        ctx.body = { error: 'Not Found', request_id: requestId };
        logger.info('file named by the request not found', { request_id: requestId, path: ctx.path, detail: (err as Error).message });
        return;
      }
      if (isPermissionError(err)) {
        ctx.status = 403;
        ctx.body = { error: 'the query may only read the data this server is configured to serve', request_id: requestId };
        logger.warn('file, URL or extension access refused', { request_id: requestId, path: ctx.path, detail: (err as Error).message });
        return;
      }
      if (isInterruptError(err)) {
        ctx.status = 503;
        ctx.set('Retry-After', '1');
        ctx.body = { error: 'the query ran longer than the request timeout', request_id: requestId };
        logger.warn('query interrupted by the request timeout', { request_id: requestId, path: ctx.path });
        return;
      }
      const e = (err ?? {}) as StatusError;
      // Errors raised by Koa and the router itself (http-errors) carry a safe status.
      if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true) {
        ctx.status = e.status;
        ctx.body = { error: typeof e.message === 'string' ? e.message : statusText(e.status) };
        return;
      }
      logger.error('request failed', {
        request_id: requestId,
        method: ctx.method,
        path: ctx.path,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
      ctx.status = 500;
      ctx.body = { error: 'Internal Server Error', request_id: requestId };
    }
  };
}
