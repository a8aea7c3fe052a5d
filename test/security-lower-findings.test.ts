/**
 * Finding 11 (a-c): under global auth the cache status, the OpenAPI document and the docs
 * page need a credential unless `auth.public-docs: true`; more request headers than
 * `limits.max-headers` get a 431 instead of being dropped; and `%` / `_` sent into
 * `LIKE '%{{params.q}}%'` are matched as text.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { silentLogger, startServer, type HttpServerHandle } from '../runtime/index.js';
import type { Manifest } from '../runtime/manifest.js';
import { apiKeyHash } from '../runtime/security/index.js';
import { endpoint, manifest } from './serve-fixture.js';

const KEY = 'lower-findings-key-0123456789';

function keyed(publicDocs?: boolean): Manifest {
  const m = manifest([endpoint({ urlPath: '/rows', sql: 'SELECT id FROM flights ORDER BY id LIMIT 2' })]);
  m.auth = {
    enabled: true,
    type: 'api-key',
    apiKey: { header: 'X-API-Key', keys: [{ name: 'reader', key: { value: apiKeyHash(KEY) }, roles: [] }] },
    ...(publicDocs !== undefined ? { publicDocs } : {}),
  };
  return m;
}

describe('global auth covers the cache status and the docs', () => {
  let server: HttpServerHandle;
  let open: HttpServerHandle;
  before(async () => {
    server = await startServer(keyed(), { port: 0, logger: silentLogger });
    open = await startServer(keyed(true), { port: 0, logger: silentLogger });
  });
  after(async () => {
    await server.close();
    await open.close();
  });

  const DOCS = ['/openapi.json', '/doc.yaml', '/docs', '/docs/docs.js'];

  it('refuses them without a credential and serves them with one', async () => {
    for (const path of ['/_flapi/cache', ...DOCS]) {
      const refused = await fetch(server.url + path);
      assert.equal(refused.status, 401, path);
      const allowed = await fetch(server.url + path, { headers: { 'X-API-Key': KEY } });
      assert.equal(allowed.status, 200, path);
    }
  });

  it('keeps the probes public', async () => {
    for (const path of ['/_flapi/health', '/_flapi/ready']) assert.equal((await fetch(server.url + path)).status, 200, path);
  });

  it('auth.public-docs: true opens the docs, not the cache status', async () => {
    for (const path of DOCS) assert.equal((await fetch(open.url + path)).status, 200, path);
    assert.equal((await fetch(`${open.url}/_flapi/cache`)).status, 401);
    assert.equal((await fetch(`${open.url}/rows`)).status, 401);
  });
});

describe('too many request headers', () => {
  let server: HttpServerHandle;
  before(async () => {
    const m = manifest([endpoint({ urlPath: '/rows', sql: 'SELECT 1 AS one' })]);
    m.server.httpLimits = { maxHeadersCount: 20 };
    server = await startServer(m, { port: 0, logger: silentLogger });
  });
  after(() => server.close());

  function send(headerCount: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1');
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      const headers = Array.from({ length: headerCount - 2 }, (_, i) => `X-Extra-${i}: ${i}\r\n`).join('');
      socket.write(`GET /rows HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n${headers}\r\n`);
    });
  }

  it('answers 431 past limits.max-headers instead of dropping the rest', async () => {
    const refused = await send(21);
    assert.match(refused, /^HTTP\/1\.1 431 /);
    assert.match(refused, /too many request headers \(at most 20\)/);
    assert.match(await send(20), /^HTTP\/1\.1 200 /);
  });
});

describe('LIKE patterns around a request value', () => {
  let server: HttpServerHandle;
  before(async () => {
    const init = "CREATE TABLE names AS SELECT * FROM (VALUES ('alpha'), ('beta'), ('100% pure'), ('a_b'), ('axb'), ('back\\slash')) t(name);";
    const param = [{ name: 'q', in: 'query' as const, required: true, validators: [{ type: 'string' as const }] }];
    const m = manifest(
      [
        endpoint({ urlPath: '/contains', sql: "SELECT name FROM names WHERE name LIKE '%{{params.q}}%' ORDER BY name", params: param }),
        endpoint({ urlPath: '/icontains', sql: "SELECT name FROM names WHERE name NOT ILIKE '%{{ params.q }}%' ORDER BY name", params: param }),
        endpoint({ urlPath: '/pattern', sql: 'SELECT name FROM names WHERE name LIKE {{params.q}} ORDER BY name', params: param }),
        endpoint({ urlPath: '/own-escape', sql: "SELECT name FROM names WHERE name LIKE '%{{params.q}}%' ESCAPE '!' ORDER BY name", params: param }),
        endpoint({ urlPath: '/equals', sql: "SELECT name FROM names WHERE name = '{{params.q}}' ORDER BY name", params: param }),
      ],
      init,
    );
    server = await startServer(m, { port: 0, logger: silentLogger });
  });
  after(() => server.close());

  async function names(path: string, q: string): Promise<string[]> {
    const r = await fetch(`${server.url}${path}?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, `${path}?q=${q}: ${await r.clone().text()}`);
    return ((await r.json()) as { name: string }[]).map((row) => row.name);
  }

  it('matches % and _ from the request as text inside a quoted pattern', async () => {
    assert.deepEqual(await names('/contains', '%'), ['100% pure']);
    assert.deepEqual(await names('/contains', '_'), ['a_b']);
    assert.deepEqual(await names('/contains', 'a_b'), ['a_b']);
    assert.deepEqual(await names('/contains', '\\'), ['back\\slash']);
    assert.deepEqual(await names('/contains', 'lph'), ['alpha']);
    assert.deepEqual(await names('/icontains', '%'), ['a_b', 'alpha', 'axb', 'back\\slash', 'beta']);
  });

  it('leaves a pattern bound whole, an author ESCAPE clause and plain equality alone', async () => {
    assert.deepEqual(await names('/pattern', 'a_b'), ['a_b', 'axb']);
    assert.deepEqual(await names('/pattern', '%'), ['100% pure', 'a_b', 'alpha', 'axb', 'back\\slash', 'beta']);
    assert.deepEqual(await names('/own-escape', 'a_b'), ['a_b', 'axb']);
    assert.deepEqual(await names('/equals', 'a_b'), ['a_b']);
  });
});
