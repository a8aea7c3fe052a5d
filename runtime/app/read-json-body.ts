/**
 * Reads a JSON request body with a size cap. Nothing a client sends may crash the
 * process: oversize bodies get 413, malformed JSON 400, other media types 415.
 */
import type { Context } from 'koa';
import { ClientError, ValidationFailed } from './http-errors.js';

function isJson(contentType: string): boolean {
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

function collect(ctx: Context, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const req = ctx.req;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(new ClientError(413, 'Payload Too Large'));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (): void => {
      cleanup();
      reject(new ClientError(400, 'request body could not be read'));
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** The parsed body, or undefined when the request has none. */
export async function readJsonBody(ctx: Context, limit: number): Promise<unknown> {
  const length = ctx.request.length;
  const chunked = ctx.get('transfer-encoding') !== '';
  if (!chunked && (length === undefined || length === 0)) return undefined;
  if (length !== undefined && length > limit) throw new ClientError(413, 'Payload Too Large');
  const contentType = ctx.get('content-type');
  if (contentType !== '' && !isJson(contentType)) throw new ClientError(415, 'Unsupported Media Type: send application/json');
  const buffer = await collect(ctx, limit);
  if (buffer.length === 0) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(buffer.toString('utf8'));
  } catch {
    throw new ValidationFailed([{ field: 'body', message: 'must be valid JSON' }]);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationFailed([{ field: 'body', message: 'must be a JSON object' }]);
  }
  // Kept so an error raised later can name the field at fault (conversion-error.ts).
  ctx.state['requestBody'] = body;
  return body;
}
