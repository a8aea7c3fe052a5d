import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startServer, silentLogger, type HttpServerHandle } from '../runtime/index.js';
import { endpoint, manifest } from './serve-fixture.js';

const m = manifest([
  endpoint({
    urlPath: '/by-id',
    sql: 'SELECT id FROM flights WHERE id = {{params.id}}',
    params: [{ name: 'id', in: 'query', required: true, validators: [] }],
  }),
  endpoint({ urlPath: '/slow', sql: 'SELECT count(*) AS n FROM range(5000000000) a' }),
  endpoint({
    urlPath: '/own-pages',
    pagination: true,
    sql: 'SELECT id FROM flights ORDER BY id LIMIT {{params.limit}} OFFSET {{params.offset}}',
  }),
  endpoint({ urlPath: '/pages', pagination: true, sql: 'SELECT id FROM flights ORDER BY id -- trailing comment;' }),
  endpoint({
    urlPath: '/flights',
    method: 'POST',
    sql: "INSERT INTO flights VALUES ({{params.id}}, 'ORD', DATE '2024-03-01', 9.5) RETURNING id, origin",
    operation: { type: 'write', transaction: true, returnsData: true },
    params: [{ name: 'id', in: 'body', required: true, validators: [{ type: 'int', min: 100 }] }],
  }),
]);
m.server.requestTimeoutMs = 150;

describe('serve edge cases', () => {
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer(m, { port: 0, logger: silentLogger });
  });
  after(async () => {
    await server.close();
  });
  const get = (path: string, init?: RequestInit) => fetch(server.url + path, init);

  it('answers 400 when DuckDB cannot convert a bound value', async () => {
    assert.deepEqual(await (await get('/by-id?id=4')).json(), [{ id: 4 }]);
    const res = await get("/by-id?id=4' OR '1'='1");
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { errors: unknown[] }).errors.length, 1);
  });

  it('stops a query past the request timeout with 503 and keeps serving', async () => {
    const started = Date.now();
    const res = await get('/slow');
    assert.equal(res.status, 503);
    assert.ok(Date.now() - started < 3000);
    assert.deepEqual(await (await get('/by-id?id=5')).json(), [{ id: 5 }]);
  });

  it('leaves paging to a template that uses limit and offset itself', async () => {
    const page = (await (await get('/own-pages?limit=3&offset=3')).json()) as { data: { id: number }[]; next: string; total_count: null };
    assert.deepEqual(page.data.map((r) => r.id), [4, 5, 6]);
    assert.equal(page.total_count, null);
    assert.match(page.next, /offset=6/);
  });

  it('wraps SQL ending in a comment and knows the total of a short page', async () => {
    const res = await get('/pages?limit=20&offset=25');
    assert.equal(res.headers.get('x-total-count'), '30');
    const page = (await res.json()) as { data: { id: number }[]; next: null; total_count: number };
    assert.deepEqual(page.data.map((r) => r.id), [26, 27, 28, 29, 30]);
    assert.equal(page.next, null);
    const beyond = (await (await get('/pages?offset=100')).json()) as typeof page;
    assert.deepEqual(beyond.data, []);
    assert.equal(beyond.total_count, 30);
  });

  it('runs a write in a transaction, returns its rows and moves the data version', async () => {
    const before = ((await (await get('/_flapi/ready')).json()) as { data_version: number }).data_version;
    const res = await get('/flights', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":101}' });
    assert.equal(res.status, 201, "a POST that writes answers 201 Created");
    assert.deepEqual(await res.json(), [{ id: 101, origin: 'ORD' }]);
    const afterVersion = ((await (await get('/_flapi/ready')).json()) as { data_version: number }).data_version;
    assert.ok(afterVersion > before);
    const dup = await get('/flights', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"id":101}' });
    assert.equal(dup.status, 415);
    assert.deepEqual(await (await get('/by-id?id=101')).json(), [{ id: 101 }]);
  });

  it('answers 413 from Content-Length before reading the body', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/flights`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '99999999' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"id":');
    });
    assert.equal(status, 413);
    assert.equal((await get('/_flapi/health')).status, 200);
  });

  it('answers HEAD for a GET route', async () => {
    const res = await get('/by-id?id=3', { method: 'HEAD' });
    assert.equal(res.status, 200);
  });
});
