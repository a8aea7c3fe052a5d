/**
 * A small Google Cloud Storage look-alike on loopback: the JSON API's object metadata GET
 * and media download (`alt=media`, with `x-goog-hash` so the SDK validates the bytes; a
 * `bytes=a-b` Range is answered 206 with those bytes),
 * generations that grow with every upload, and a request log to assert polling on.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CRC32C } from '@google-cloud/storage';

interface StoredObject {
  bytes: Buffer;
  generation: number;
  updated: string;
}

export interface GcsServer {
  readonly url: string;
  /** `METHOD path?query` of every request served. */
  readonly requests: string[];
  put(bucket: string, name: string, bytes: Buffer): void;
  close(): Promise<void>;
}

function hashes(bytes: Buffer): { md5: string; crc32c: string } {
  const crc = new CRC32C();
  crc.update(bytes);
  return { md5: createHash('md5').update(bytes).digest('base64'), crc32c: crc.toString() };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

export async function startGcsServer(): Promise<GcsServer> {
  const objects = new Map<string, StoredObject>();
  const requests: string[] = [];
  let generation = 1_700_000_000_000_000;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    // The SDK uses `/storage/v1/b/...` on an apiEndpoint and `/b/...` under STORAGE_EMULATOR_HOST.
    const match = /^(?:\/storage\/v1|\/download\/storage\/v1)?\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
    if (req.method !== 'GET' || !match) return sendJson(res, 404, { error: { code: 404, message: 'Not Found' } });
    const bucket = decodeURIComponent(match[1]!);
    const name = decodeURIComponent(match[2]!);
    const object = objects.get(`${bucket}/${name}`);
    const wanted = url.searchParams.get('generation');
    if (!object || (wanted !== null && Number(wanted) !== object.generation)) {
      return sendJson(res, 404, { error: { code: 404, message: `No such object: ${bucket}/${name}` } });
    }
    const { md5, crc32c } = hashes(object.bytes);
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers['range'] ?? '');
    if (url.searchParams.get('alt') === 'media' && range) {
      const start = Number(range[1]);
      const end = Math.min(Number(range[2]), object.bytes.length - 1);
      res.writeHead(206, {
        'content-type': 'application/octet-stream',
        'content-length': end - start + 1,
        'content-range': `bytes ${start}-${end}/${object.bytes.length}`,
        'x-goog-generation': String(object.generation),
        'x-goog-stored-content-encoding': 'identity',
      });
      res.end(object.bytes.subarray(start, end + 1));
      return;
    }
    if (url.searchParams.get('alt') === 'media') {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': object.bytes.length,
        'x-goog-generation': String(object.generation),
        'x-goog-hash': `crc32c=${crc32c},md5=${md5}`,
        'x-goog-stored-content-encoding': 'identity',
      });
      res.end(object.bytes);
      return;
    }
    sendJson(res, 200, {
      kind: 'storage#object',
      id: `${bucket}/${name}/${object.generation}`,
      name,
      bucket,
      generation: String(object.generation),
      metageneration: '1',
      contentType: 'application/octet-stream',
      size: String(object.bytes.length),
      md5Hash: md5,
      crc32c,
      etag: `C${object.generation.toString(36)}`,
      updated: object.updated,
    });
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    put(bucket, name, bytes) {
      objects.set(`${bucket}/${name}`, { bytes, generation: ++generation, updated: new Date().toISOString() });
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
