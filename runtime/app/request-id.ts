/**
 * Every response carries `X-Request-Id`. An incoming id is reused when it is a plain
 * token (so a proxy's id threads through the logs); anything else is replaced.
 */
import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID();
}

export async function requestIdMiddleware(ctx: Context, next: Next): Promise<void> {
  const id = requestIdOf(ctx.get('x-request-id') || undefined);
  ctx.state['requestId'] = id;
  ctx.set('X-Request-Id', id);
  await next();
}
