/**
 * Sends one fuzz request as bytes over a plain socket, so control characters, raw UTF-8,
 * odd methods and broken framing reach the server as written (an HTTP client library
 * would refuse or repair them), and reads the first response back.
 */
import { connect } from 'node:net';

export interface WireRequest {
  method: string;
  /** The request-target as wire bytes, one char per byte (latin1). */
  target: string;
  /** Name and value pairs, repeats allowed; values as wire bytes (latin1). */
  headers: [string, string][];
  body?: Buffer;
  /** Send the body with Transfer-Encoding: chunked instead of Content-Length. */
  chunked?: boolean;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Resolves with the response, or undefined when the server closed without answering. */
export function sendRaw(base: URL, request: WireRequest, timeoutMs = 15_000): Promise<WireResponse | undefined> {
  const head = [`${request.method} ${request.target} HTTP/1.1`, `Host: ${base.host}`];
  for (const [name, value] of request.headers) head.push(`${name}: ${value}`);
  head.push('Connection: close');
  const body = request.body;
  if (body && request.chunked) head.push('Transfer-Encoding: chunked');
  else if (body) head.push(`Content-Length: ${body.length}`);
  const parts: Buffer[] = [Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1')];
  if (body && request.chunked) {
    if (body.length > 0) parts.push(Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n'));
    parts.push(Buffer.from('0\r\n\r\n'));
  } else if (body) parts.push(body);

  return new Promise((resolve, reject) => {
    const socket = connect(Number(base.port), base.hostname);
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (result: WireResponse | undefined, error?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(result);
    };
    const timer = setTimeout(() => finish(undefined, new Error(`no complete response within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const parsed = parseResponse(received, request.method, false);
      if (parsed) finish(parsed);
    });
    socket.on('end', () => finish(parseResponse(received, request.method, true)));
    // A reset after the server answered and closed still leaves the answer readable.
    socket.on('error', () => finish(parseResponse(received, request.method, true)));
    socket.write(Buffer.concat(parts));
  });
}

/** The first final response in `data`, or undefined when it is not complete yet. */
export function parseResponse(data: Buffer, method: string, ended: boolean): WireResponse | undefined {
  let rest = data;
  for (;;) {
    const split = rest.indexOf('\r\n\r\n');
    if (split < 0) return undefined;
    const lines = rest.subarray(0, split).toString('latin1').split('\r\n');
    const status = Number(lines[0]!.split(' ')[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    const after = rest.subarray(split + 4);
    if (status >= 100 && status < 200) {
      rest = after;
      continue;
    }
    if (method === 'HEAD' || status === 204 || status === 304) return { status, headers, body: Buffer.alloc(0) };
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const body = dechunk(after);
      if (body) return { status, headers, body };
      return ended ? { status, headers, body: after } : undefined;
    }
    const length = headers['content-length'];
    if (length !== undefined) {
      if (after.length >= Number(length)) return { status, headers, body: after.subarray(0, Number(length)) };
      return ended ? { status, headers, body: after } : undefined;
    }
    return ended ? { status, headers, body: after } : undefined;
  }
}

function dechunk(data: Buffer): Buffer | undefined {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) return undefined;
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (size === 0) return Buffer.concat(out);
    if (data.length < eol + 2 + size + 2) return undefined;
    out.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}
