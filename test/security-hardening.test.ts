/**
 * Hardening on a real server: security headers, the CORS allowlist, body limit, the
 * request timeout interrupting DuckDB, the row cap, enforce-https and TLS, the admin
 * credential on mutating /_flapi/ routes, no route that shows secrets, and log redaction.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Manifest } from '../runtime/manifest.js';
import { silentLogger, startServer, type HttpServerHandle } from '../runtime/index.js';
import { apiKeyHash, redactFields, redactText } from '../runtime/security/index.js';
import { endpoint, manifest } from './serve-fixture.js';

async function call(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
}

/** fetch() may not set Host; node:http may. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
    });
    req.on('error', reject);
    req.end();
  });
}

const SECRET_INIT = "CREATE TABLE vault AS SELECT 'init-sql-secret-7f3a' AS s;";

function hardened(): Manifest {
  const m = manifest(
    [
      endpoint({ urlPath: '/flights', sql: 'SELECT id, origin FROM flights ORDER BY id' }),
      endpoint({ urlPath: '/pages', pagination: true, sql: 'SELECT id FROM flights ORDER BY id' }),
      endpoint({ urlPath: '/slow', sql: 'SELECT sum(a.range * b.range) AS s FROM range(100000000) a, range(100000) b' }),
      endpoint({
        urlPath: '/items',
        method: 'POST',
        sql: 'SELECT {{params.name}} AS name',
        operation: { type: 'read', transaction: false, returnsData: true },
        params: [{ name: 'name', in: 'body', required: true, validators: [{ type: 'string' }] }],
      }),
    ],
    `${SECRET_INIT}\n${(manifest([]).connections.main!.init)!}`,
  );
  m.server.bodyLimit = 256;
  m.server.requestTimeoutMs = 300;
  m.server.maxRows = 7;
  m.server.maxLimit = 20;
  m.cors = { enabled: true, allowedOrigins: ['https://app.example.com', '*'], credentials: true };
  m.admin = { token: { value: apiKeyHash('admin-token-123') }, protectMetrics: true };
  return m;
}

describe('hardening', () => {
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer(hardened(), { port: 0, logger: silentLogger });
  });
  after(() => server.close());

  it('sends security headers on every response, errors and 404s included', async () => {
    for (const path of ['/flights', '/nowhere', '/_flapi/health', '/openapi.json']) {
      const r = await call(server.url + path);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(r.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(r.headers.get('referrer-policy'), 'no-referrer', path);
      assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'none'/, path);
    }
    const docs = await call(`${server.url}/docs`);
    assert.match(docs.headers.get('content-security-policy') ?? '', /script-src 'self'/, 'the docs page keeps its own CSP');
  });

  it('allows only listed origins; * is ignored with credentials; preflights are answered without auth', async () => {
    const ok = await call(`${server.url}/flights`, { headers: { Origin: 'https://app.example.com' } });
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
    assert.match(ok.headers.get('vary') ?? '', /Origin/);
    assert.match(ok.headers.get('access-control-expose-headers') ?? '', /X-RateLimit-Remaining/);
    const other = await call(`${server.url}/flights`, { headers: { Origin: 'https://evil.example.net' } });
    assert.equal(other.status, 200, 'a simple read still answers; the browser withholds it');
    assert.equal(other.headers.get('access-control-allow-origin'), null, 'the * entry does not apply with credentials');
    const preflight = await call(`${server.url}/items`, { method: 'OPTIONS', headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST' } });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    const refused = await call(`${server.url}/items`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example.net', 'Access-Control-Request-Method': 'POST' } });
    assert.equal(refused.status, 403);
    const csrf = await call(`${server.url}/items`, { method: 'POST', headers: { Origin: 'https://evil.example.net', 'Content-Type': 'application/json' }, body: '{"name":"x"}' });
    assert.equal(csrf.status, 403, 'a foreign origin cannot post');
    const same = await call(`${server.url}/items`, { method: 'POST', headers: { Origin: server.url, 'Content-Type': 'application/json' }, body: '{"name":"x"}' });
    assert.equal(same.status, 200, same.text);
  });

  it('refuses bodies over the limit with 413', async () => {
    const r = await call(`${server.url}/items`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(400) }) });
    assert.equal(r.status, 413);
  });

  it('interrupts a query past the request timeout with 503 and keeps serving', async () => {
    const started = Date.now();
    const slow = await call(`${server.url}/slow`);
    assert.equal(slow.status, 503, slow.text);
    assert.ok(Date.now() - started < 5000, `answered after ${Date.now() - started} ms`);
    assert.equal((await call(`${server.url}/flights`)).status, 200);
  });

  it('caps rows per response: unpaged reads stop at max-rows, pages are no larger', async () => {
    const all = await call(`${server.url}/flights`);
    assert.equal((JSON.parse(all.text) as unknown[]).length, 7);
    assert.equal(all.headers.get('x-max-rows'), '7');
    const csv = await call(`${server.url}/flights?format=csv`);
    assert.equal(csv.text.trim().split('\n').length, 8, 'header + 7 rows');
    const page = JSON.parse((await call(`${server.url}/pages?limit=20`)).text) as { data: unknown[]; next: string };
    assert.equal(page.data.length, 7);
    assert.match(page.next, /offset=7/);
  });

  it('guards mutating /_flapi/ routes and the metrics with the admin token', async () => {
    const none = await call(`${server.url}/_flapi/cache/anything/refresh`, { method: 'POST' });
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /Bearer realm="flapi-admin"/);
    const wrong = await call(`${server.url}/_flapi/cache/anything/refresh`, { method: 'POST', headers: { Authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
    const right = await call(`${server.url}/_flapi/cache/anything/refresh`, { method: 'POST', headers: { Authorization: 'Bearer admin-token-123' } });
    assert.equal(right.status, 404, `past the guard, the route answers: ${right.text}`);
    assert.equal((await call(`${server.url}/_flapi/metrics`)).status, 401);
    assert.equal((await call(`${server.url}/_flapi/metrics`, { headers: { Authorization: 'Bearer admin-token-123' } })).status, 200);
    assert.equal((await call(`${server.url}/_flapi/health`)).status, 200, 'probes stay open');
  });

  it('has no route that shows the connection init SQL or secrets', async () => {
    const paths = ['/openapi.json', '/doc.yaml', '/docs', '/_flapi/health', '/_flapi/ready', '/_flapi/cache', '/_flapi/config', '/_flapi/manifest', '/manifest.json', '/config'];
    for (const path of paths) {
      const r = await call(server.url + path, { headers: { Authorization: 'Bearer admin-token-123' } });
      assert.doesNotMatch(r.text, /init-sql-secret|CREATE TABLE|admin-token|sha256:/, path);
    }
  });
});

describe('admin routes without a token', () => {
  const external = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4')?.address;
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer(manifest([endpoint({ urlPath: '/flights', sql: 'SELECT 1 AS one' })]), { port: 0, host: '0.0.0.0', logger: silentLogger });
  });
  after(() => server.close());

  it('answer loopback clients only', async () => {
    assert.equal((await call(`http://127.0.0.1:${server.port}/_flapi/cache/x/refresh`, { method: 'POST' })).status, 404, 'loopback passes the guard');
  });

  it('refuse other clients with 403', { skip: external ? false : 'no non-loopback interface' }, async () => {
    const r = await call(`http://${external}:${server.port}/_flapi/cache/x/refresh`, { method: 'POST' });
    assert.equal(r.status, 403, r.text);
    assert.match(r.text, /admin\.token/);
    assert.equal((await call(`http://${external}:${server.port}/flights`)).status, 200);
  });
});

describe('enforce-https and TLS', () => {
  let plain: HttpServerHandle;
  let proxied: HttpServerHandle;
  let tls: HttpServerHandle | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'flapi-tls-'));
  before(async () => {
    const m = manifest([endpoint({ urlPath: '/flights', sql: 'SELECT 1 AS one' })]);
    m.server.enforceHttps = true;
    plain = await startServer(m, { port: 0, logger: silentLogger });
    proxied = await startServer({ ...m, server: { ...m.server, trustProxy: true } }, { port: 0, logger: silentLogger });
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
      tls = await startServer({ ...m, server: { ...m.server, tls: { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') } } }, { port: 0, logger: silentLogger });
    } catch {
      tls = undefined;
    }
  });
  after(async () => {
    await plain.close();
    await proxied.close();
    await tls?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('redirects plain reads, refuses plain writes, leaves probes open', async () => {
    const read = await rawGet(`${plain.url}/flights?x=1`, { Host: 'api.example.com' });
    assert.equal(read.status, 308);
    assert.equal(read.location, 'https://api.example.com/flights?x=1');
    const hostile = await rawGet(`${plain.url}/flights`, { Host: 'evil.example.com/@x' });
    assert.equal(hostile.status, 403, 'a Host that is no host name is not echoed into Location');
    assert.equal((await fetch(`${plain.url}/flights`, { method: 'POST' })).status, 403);
    assert.equal((await fetch(`${plain.url}/_flapi/health`)).status, 200);
  });

  it('trusts X-Forwarded-Proto only with trust-proxy', async () => {
    assert.equal((await fetch(`${plain.url}/flights`, { redirect: 'manual', headers: { 'X-Forwarded-Proto': 'https' } })).status, 308);
    const r = await fetch(`${proxied.url}/flights`, { redirect: 'manual', headers: { 'X-Forwarded-Proto': 'https' } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('strict-transport-security') ?? '', /max-age=31536000/);
  });

  it('serves HTTPS directly from the configured certificate', async (t) => {
    if (!tls) return t.skip('openssl could not make a certificate');
    assert.match(tls.url, /^https:/);
    const body = await new Promise<{ status: number; hsts: string | undefined; text: string }>((resolve, reject) => {
      const req = httpsRequest(`${tls!.url}/flights`, { rejectUnauthorized: false }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, hsts: res.headers['strict-transport-security'] as string | undefined, text }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(body.status, 200, body.text);
    assert.deepEqual(JSON.parse(body.text), [{ one: 1 }]);
    assert.match(body.hsts ?? '', /max-age/);
  });
});

describe('log redaction', () => {
  it('masks credentials in fields and free text', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const out = redactFields({
      authorization: 'Bearer abc.def',
      password: 'hunter2',
      jwt_secret: 's3cret',
      api_key: 'k',
      request_id: 'r-1',
      error: `connect to postgres://app:pa55word@db:5432/x failed; header Authorization: Basic YWxpY2U6cHc=; token ${jwt}; password=hunter2`,
      nested: { headers: { cookie: 'session=1' } },
    }) as Record<string, unknown>;
    const text = JSON.stringify(out);
    for (const secret of ['abc.def', 'hunter2', 's3cret', 'pa55word', 'YWxpY2U6cHc=', jwt, 'session=1']) assert.equal(text.includes(secret), false, secret);
    assert.equal(out.request_id, 'r-1');
    assert.match(String(out.error), /postgres:\/\/app:\[redacted\]@db:5432/);
    assert.equal(redactText('nothing to hide here'), 'nothing to hide here');
  });
});
