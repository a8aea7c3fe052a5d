/**
 * Every JSON answer says `Content-Type: application/json`, without a charset: JSON is
 * UTF-8 by definition (RFC 8259) and the media type defines no charset parameter, and
 * flAPI (whose clients and suites compare the header exactly) sends it so. Koa adds
 * `; charset=utf-8` to the bodies it serialises; this puts the header back to the one form.
 */
import type { Context, Next } from 'koa';
import { CONTENT_TYPES } from '../formats/index.js';

export const JSON_CONTENT_TYPE = CONTENT_TYPES.json;

const KOA_JSON = 'application/json; charset=utf-8';

export async function jsonContentType(ctx: Context, next: Next): Promise<void> {
  await next();
  if (ctx.response.get('Content-Type') === KOA_JSON) ctx.set('Content-Type', JSON_CONTENT_TYPE);
}
