/**
 * Hostile clients against a real server on a random port: forged, expired, `alg: none`,
 * wrong-audience and key-confused JWTs; header and CRLF injection; path traversal in
 * paths and template names; oversized bodies and headers; 10,000 query parameters; a
 * slow-loris client. Each gets the right 4xx (or a closed connection), and a well-behaved
 * client polling in the background is answered correctly throughout.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportSPKI, generateKeyPair } from 'jose';
import type { JwtSpec, Manifest } from '../runtime/manifest.js';
import { silentLogger, startServer, type HttpServerHandle } from '../runtime/index.js';
import { endpoint, manifest } from './serve-fixture.js';
import { hmacToken, signToken, unsignedToken } from './support/jwt-tokens.js';

const SECRET = 'adversarial-suite-hs256-secret-0123456789';
const CLAIMS = { username: 'sub', email: 'email', roles: 'roles' };

function jwt(partial: Partial<JwtSpec>): JwtSpec {
  return { algorithms: ['HS256'], audience: ['flights-api'], issuer: 'https://issuer.test', clockSkewSeconds: 5, requireExpiry: true, claims: CLAIMS, ...partial };
}

/** Sends raw bytes and collects what comes back until the server closes or `ms` pass. */
function raw(port: number, bytes: string | Buffer, ms = 3000): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let closed = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed });
    }, ms);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      resolve({ text, closed });
    });
    socket.write(bytes);
  });
}

function statusOf(response: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
}

describe('adversarial clients', () => {
  let server: HttpServerHandle;
  let keyed: HttpServerHandle;
  let pem: string;
  let key: Uint8Array;
  let goodToken: string;
  let poller: Promise<void>;
  let polling = true;
  const poll = { ok: 0, failed: [] as string[] };

  before(async () => {
    key = new TextEncoder().encode(SECRET);
    const m: Manifest = manifest([
      endpoint({ urlPath: '/flights', sql: 'SELECT id, origin FROM flights ORDER BY id LIMIT 3' }),
      endpoint({ urlPath: '/flights/:id', sql: 'SELECT id, origin FROM flights WHERE id = {{params.id}}', params: [{ name: 'id', in: 'path', required: true, validators: [{ type: 'int', min: 1 }] }] }),
      endpoint({
        urlPath: '/search',
        method: 'POST',
        sql: 'SELECT count(*)::INT AS n FROM flights WHERE origin = {{params.origin}}',
        operation: { type: 'read', transaction: false, returnsData: true },
        params: [{ name: 'origin', in: 'body', required: true, validators: [{ type: 'string', max: 3 }] }],
      }),
      endpoint({ urlPath: '/public', sql: 'SELECT 1 AS one', auth: { enabled: false, type: 'basic' }, mcp: { resource: { name: 'public_one' }, prompt: { name: 'hello', template: 'Hello {{name}}' } } }),
    ]);
    m.auth = { enabled: true, type: 'bearer', jwt: jwt({ secret: { value: SECRET } }) };
    m.server.bodyLimit = 1024;
    m.server.httpLimits = { headersTimeoutMs: 1500, requestReceiveTimeoutMs: 4000 };
    server = await startServer(m, { port: 0, logger: silentLogger });

    const rsa = await generateKeyPair('RS256');
    pem = await exportSPKI(rsa.publicKey);
    const k: Manifest = manifest([endpoint({ urlPath: '/flights', sql: 'SELECT 1 AS one' })]);
    k.auth = { enabled: true, type: 'bearer', jwt: jwt({ publicKey: { value: pem }, algorithms: ['RS256'], audience: [], issuer: undefined }) };
    delete k.auth.jwt!.issuer;
    keyed = await startServer(k, { port: 0, logger: silentLogger });

    goodToken = await signToken(key, { roles: [] }, { issuer: 'https://issuer.test', audience: 'flights-api', subject: 'good', expiresIn: 600 });
    // A well-behaved client, polling for as long as the suite runs.
    poller = (async () => {
      while (polling) {
        const started = Date.now();
        try {
          const response = await fetch(`${server.url}/flights`, { headers: { Authorization: `Bearer ${goodToken}` } });
          const body = await response.text();
          if (response.status === 200 && body.startsWith('[{"id":1')) poll.ok++;
          else poll.failed.push(`${response.status} ${body.slice(0, 80)}`);
          if (Date.now() - started > 1000) poll.failed.push(`slow: ${Date.now() - started} ms`);
        } catch (err) {
          poll.failed.push((err as Error).message);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
  });

  after(async () => {
    polling = false;
    await poller;
    await server.close();
    await keyed.close();
  });

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const good = { issuer: 'https://issuer.test', audience: 'flights-api', subject: 'mallory' };

  it('refuses forged, expired, alg none, wrong-audience and key-confused tokens with 401', async () => {
    const tokens: [string, string, string][] = [
      [server.url, 'forged signature', `${goodToken.slice(0, goodToken.lastIndexOf('.'))}.${Buffer.from('forged').toString('base64url')}`],
      [server.url, 'forged with another secret', await signToken(new TextEncoder().encode('guessed-secret-guessed-secret-12'), {}, good)],
      [server.url, 'expired', await signToken(key, {}, { ...good, expiresIn: -60 })],
      [server.url, 'alg none', unsignedToken({ sub: 'mallory', iss: good.issuer, aud: good.audience })],
      [server.url, 'alg none, uppercase', unsignedToken({ sub: 'mallory' }).replace(/^[^.]+/, Buffer.from('{"alg":"NONE"}').toString('base64url'))],
      [server.url, 'wrong audience', await signToken(key, {}, { ...good, audience: 'billing-api' })],
      [server.url, 'payload swapped', `${goodToken.split('.')[0]}.${Buffer.from(JSON.stringify({ sub: 'admin', iss: good.issuer, aud: good.audience, exp: 9999999999 })).toString('base64url')}.${goodToken.split('.')[2]}`],
      [keyed.url, 'public key used as HMAC secret', hmacToken(pem, { sub: 'mallory' })],
      [keyed.url, 'HS256 header against an RS256-only server', await signToken(key, {}, { subject: 'mallory' })],
    ];
    for (const [base, name, token] of tokens) {
      const response = await fetch(`${base}/flights`, { headers: bearer(token) });
      const body = await response.text();
      assert.equal(response.status, 401, `${name}: ${body}`);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer /, name);
      assert.doesNotMatch(body, /"id"/, name);
    }
  });

  it('never lets a header or CRLF injection reach the response headers', async () => {
    const port = server.port;
    const encoded = await raw(port, `GET /flights%0d%0aSet-Cookie:%20pwned=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.ok([401, 404].includes(statusOf(encoded.text)), encoded.text.slice(0, 200));
    assert.doesNotMatch(encoded.text, /^Set-Cookie/im);

    const bareCr = await raw(port, `GET /flights HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc\rSet-Cookie: pwned=1\r\n\r\n`);
    // Refused outright, or the CR stays inside a value that is never echoed (the request id is replaced).
    assert.ok([400, 401].includes(statusOf(bareCr.text)), bareCr.text.slice(0, 200));
    assert.doesNotMatch(bareCr.text, /^Set-Cookie/im);
    assert.doesNotMatch(bareCr.text, /pwned/);

    const inLine = await raw(port, `GET /flights\r\nSet-Cookie: pwned=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    const inLineStatus = statusOf(inLine.text);
    assert.ok(inLineStatus >= 400 && inLineStatus < 500, inLine.text.slice(0, 200));
    assert.doesNotMatch(inLine.text, /^Set-Cookie|pwned/im);

    const folded = await raw(port, `GET /public HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc\r\n Set-Cookie: pwned=1\r\nConnection: close\r\n\r\n`);
    assert.ok(statusOf(folded.text) === 400 || !/^Set-Cookie/im.test(folded.text), folded.text.slice(0, 200));

    const reflected = await fetch(`${server.url}/public`, { headers: { 'X-Request-Id': 'abc%0d%0aSet-Cookie:%20x' } });
    assert.equal(reflected.headers.get('set-cookie'), null);
    assert.notEqual(reflected.headers.get('x-request-id'), 'abc%0d%0aSet-Cookie:%20x', 'an unsafe request id is replaced');

    const smuggle = await raw(port, `POST /search HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`);
    assert.equal(statusOf(smuggle.text), 400, 'Content-Length with Transfer-Encoding is refused');
  });

  it('serves no file through path traversal in paths, and no template through traversal in names', async () => {
    const paths = [
      '/docs/../../package.json',
      '/docs/%2e%2e/%2e%2e/package.json',
      '/docs/..%2f..%2fpackage.json',
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '//etc/passwd',
      '/flights/..%2f..%2fetc%2fpasswd',
      '/_flapi/cache/..%2f..%2fflights/refresh',
      '/static/../../../../etc/passwd',
    ];
    for (const path of paths) {
      const text = await raw(server.port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      const status = statusOf(text.text);
      assert.ok(status >= 400 && status < 500, `${path}: ${status}`);
      assert.doesNotMatch(text.text, /root:x:0:0|"devDependencies"|"name": "flapi"/, path);
    }
    const mcp = async (method: string, params: unknown) => {
      const response = await fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: { ...bearer(goodToken), 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      });
      return (await response.json()) as { result?: unknown; error?: { message: string } };
    };
    for (const uri of ['flapi://../../etc/passwd', 'flapi://%2e%2e%2f%2e%2e%2fpackage.json', 'file:///etc/passwd']) {
      const answer = await mcp('resources/read', { uri });
      assert.ok(answer.error, `resources/read ${uri} must fail`);
      assert.doesNotMatch(JSON.stringify(answer), /root:x:0:0|devDependencies/);
    }
    const prompt = await mcp('prompts/get', { name: '../../package.json', arguments: {} });
    assert.ok(prompt.error);
  });

  it('refuses oversized bodies, oversized headers and 10,000 query parameters quickly', async () => {
    const big = await fetch(`${server.url}/search`, { method: 'POST', headers: { ...bearer(goodToken), 'Content-Type': 'application/json' }, body: JSON.stringify({ origin: 'x'.repeat(5000) }) });
    assert.equal(big.status, 413);
    const chunked = await raw(server.port, `POST /search HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${goodToken}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${'800\r\n' + 'a'.repeat(0x800) + '\r\n'}0\r\n\r\n`);
    assert.equal(statusOf(chunked.text), 413, 'a chunked body is counted as it arrives');

    const header = await raw(server.port, `GET /flights HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.equal(statusOf(header.text), 431);
    assert.ok(header.closed, 'the connection is closed');

    const started = Date.now();
    const manyShort = await fetch(`${server.url}/public?${Array.from({ length: 1500 }, (_, i) => `p${i}`).join('&')}`);
    assert.equal(manyShort.status, 414);
    assert.match(await manyShort.text(), /too many query parameters/);
    const tenThousand = await raw(server.port, `GET /public?${Array.from({ length: 10_000 }, () => 'a=1').join('&')} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    const status = statusOf(tenThousand.text);
    assert.ok(status === 414 || status === 431, `10,000 parameters: ${status}`);
    assert.ok(Date.now() - started < 10_000, `answered in ${Date.now() - started} ms`);
  });

  it('drops slow-loris clients after the headers timeout while others are served', async () => {
    const sockets: Socket[] = [];
    const closedAfter: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 20 }, () =>
        new Promise<void>((resolve) => {
          const socket = connect(server.port, '127.0.0.1');
          sockets.push(socket);
          socket.on('error', () => {});
          socket.write('GET /flights HTTP/1.1\r\nHost: x\r\n');
          const drip = setInterval(() => socket.write('X-a: b\r\n'), 300);
          socket.on('close', () => {
            clearInterval(drip);
            closedAfter.push(Date.now() - started);
            resolve();
          });
          setTimeout(() => socket.destroy(), 8000).unref();
        }),
      ),
    );
    assert.equal(closedAfter.length, 20);
    assert.ok(Math.max(...closedAfter) < 6000, `all dropped by the server, the last after ${Math.max(...closedAfter)} ms`);
    const partialBody = await raw(server.port, `POST /search HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${goodToken}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"ori`, 7000);
    assert.ok(partialBody.closed, 'a body that never completes is cut off by the request timeout');
  });

  it('kept answering the well-behaved client throughout', () => {
    assert.deepEqual(poll.failed, []);
    assert.ok(poll.ok > 20, `${poll.ok} good requests answered`);
  });
});
