/**
 * A static file server for artifacts over HTTP or HTTPS on loopback. HTTPS uses a
 * self-signed certificate made with the `openssl` CLI at test time (its PEM is what a
 * client must trust). Files carry an ETag (or only Last-Modified) and conditional
 * requests get 304; a file can be served cut short to simulate a dropped transfer. Range
 * requests are ignored (200, the whole file) unless a file is put with `ranges`: then a
 * single `bytes=a-b` range is answered 206 with Content-Range, and `If-Range` that does not
 * name the current version gets the whole file, as RFC 9110 says.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

interface Served {
  bytes: Buffer;
  etag?: string;
  lastModified?: string;
  /** Announce the full length but send only this many bytes, then drop the connection. */
  cutAt?: number;
  ranges?: boolean;
  /** A new version that replaces this one once its first request is answered. */
  next?: Buffer;
}

export interface FileServer {
  readonly url: string;
  readonly requests: { path: string; status: number; ifNoneMatch?: string; ifModifiedSince?: string; range?: string; ifRange?: string }[];
  /** `etag: false` serves Last-Modified only; `validators: false` serves neither. */
  put(path: string, bytes: Buffer, options?: { etag?: boolean; validators?: boolean; cutAt?: number; ranges?: boolean; next?: Buffer }): void;
  close(): Promise<void>;
}

/** Writes `cert.pem` and `key.pem` for localhost / 127.0.0.1 into `dir`; returns their paths. */
export function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  return { cert, key };
}

export async function startFileServer(tls?: { cert: string; key: string }): Promise<FileServer> {
  const files = new Map<string, Served>();
  let tick = Date.UTC(2026, 0, 1);
  const put: FileServer['put'] = (path, bytes, options = {}) => {
    tick += 1000;
    const validators = options.validators !== false;
    files.set(path, {
      bytes,
      ...(validators ? { lastModified: new Date(tick).toUTCString() } : {}),
      ...(validators && options.etag !== false ? { etag: `"${createHash('sha1').update(bytes).digest('hex')}"` } : {}),
      ...(options.cutAt !== undefined ? { cutAt: options.cutAt } : {}),
      ...(options.ranges ? { ranges: true } : {}),
      ...(options.next !== undefined ? { next: options.next } : {}),
    });
  };
  const requests: FileServer['requests'] = [];
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = files.get(path);
    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = req.headers['if-modified-since'];
    const range = req.headers['range'];
    const ifRange = req.headers['if-range'] as string | undefined;
    res.once('finish', () => requests.push({
      path, status: res.statusCode, ...(ifNoneMatch ? { ifNoneMatch } : {}), ...(ifModifiedSince ? { ifModifiedSince } : {}), ...(range ? { range } : {}), ...(ifRange ? { ifRange } : {}),
    }));
    if (file === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const fresh = file.etag !== undefined ? ifNoneMatch === file.etag : file.lastModified !== undefined && ifModifiedSince === file.lastModified;
    const headers: Record<string, string | number> = { ...(file.lastModified ? { 'last-modified': file.lastModified } : {}), ...(file.etag ? { etag: file.etag } : {}) };
    if (fresh) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    if (file.next !== undefined) put(path, file.next, { ranges: file.ranges === true });
    const current = ifRange === undefined || ifRange === file.etag || ifRange === file.lastModified;
    const asked = file.ranges && current ? /^bytes=(\d+)-(\d+)$/.exec(range ?? '') : null;
    if (asked) {
      const start = Number(asked[1]);
      if (start >= file.bytes.length) {
        res.writeHead(416, { 'content-range': `bytes */${file.bytes.length}` });
        res.end();
        return;
      }
      const end = Math.min(Number(asked[2]), file.bytes.length - 1);
      res.writeHead(206, { ...headers, 'content-type': 'application/octet-stream', 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${file.bytes.length}` });
      res.end(file.bytes.subarray(start, end + 1));
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': 'application/octet-stream', 'content-length': file.bytes.length });
    if (file.cutAt === undefined) {
      res.end(file.bytes);
      return;
    }
    res.write(file.bytes.subarray(0, file.cutAt), () => res.destroy());
  };
  const server: Server = tls ? createHttpsServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, handle) : createHttpServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    put,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
