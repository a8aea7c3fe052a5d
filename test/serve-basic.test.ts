import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type HttpServerHandle, type Logger } from '../runtime/index.js';
import { endpoint, manifest } from './serve-fixture.js';

const logged: string[] = [];
const logger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error: (message, fields) => void logged.push(`${message} ${JSON.stringify(fields)}`),
};

const m = manifest([
  endpoint({
    urlPath: '/flights',
    sql: `SELECT id, origin, day FROM {{{conn.table}}} WHERE 1=1
{{#params.origin}} AND origin = {{params.origin}} {{/params.origin}}
{{#params.min_id}} AND id >= {{params.min_id}} {{/params.min_id}}
ORDER BY id`,
    params: [
      { name: 'origin', in: 'query', required: false, validators: [{ type: 'string', regex: '[A-Z]{3}' }] },
      { name: 'min_id', in: 'query', required: false, validators: [{ type: 'int', min: 1 }] },
    ],
  }),
  endpoint({
    urlPath: '/flights/:id',
    sql: 'SELECT id, origin FROM flights WHERE id = {{params.id}}',
    params: [{ name: 'id', in: 'path', required: true, validators: [{ type: 'int', min: 1 }] }],
  }),
  endpoint({ urlPath: '/broken', sql: 'SELECT * FROM no_such_table' }),
  endpoint({ urlPath: '/sneaky', sql: 'DELETE FROM flights RETURNING *' }),
  endpoint({
    urlPath: '/search',
    method: 'POST',
    sql: 'SELECT count(*)::INT AS n FROM flights WHERE origin = \'{{params.origin}}\' AND day >= {{params.since}}',
    requestFieldsValidation: true,
    params: [
      { name: 'origin', in: 'body', required: true, validators: [{ type: 'enum', allowedValues: ['JFK', 'LAX', 'SFO'] }] },
      { name: 'since', in: 'body', required: false, default: '2024-01-01', validators: [{ type: 'date' }] },
      { name: 'X-Tenant', in: 'header', required: false, validators: [{ type: 'string', max: 8 }] },
    ],
  }),
  endpoint({
    urlPath: '/pages',
    pagination: true,
    sql: 'SELECT id FROM flights {{#params.origin}} WHERE origin = {{params.origin}} {{/params.origin}} ORDER BY id',
    params: [{ name: 'origin', in: 'query', required: false, validators: [{ type: 'string' }] }],
  }),
]);

describe('serve', () => {
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer(m, { port: 0, logger });
  });
  after(async () => {
    await server.close();
  });
  const get = (path: string, init?: RequestInit) => fetch(server.url + path, init);

  it('returns the rows of a query as a JSON array', async () => {
    const res = await get('/flights?origin=JFK&min_id=20');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const rows = (await res.json()) as { id: number; origin: string; day: string }[];
    assert.deepEqual(rows.map((r) => r.id), [21, 24, 27, 30]);
    assert.ok(rows.every((r) => r.origin === 'JFK'));
    assert.equal(rows[0]!.day, '2024-01-22');
  });

  it('reads path parameters', async () => {
    const res = await get('/flights/7');
    assert.deepEqual(await res.json(), [{ id: 7, origin: 'LAX' }]);
  });

  it('answers 400 naming every failing field', async () => {
    const res = await get('/flights?origin=jfk&min_id=1e3');
    assert.equal(res.status, 400);
    const body = (await res.json()) as { errors: { field: string; message: string }[] };
    assert.deepEqual(body.errors.map((e) => e.field).sort(), ['min_id', 'origin']);
  });

  it('answers 404 and 405 with JSON', async () => {
    const missing = await get('/nope');
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: 'Not Found' });
    const wrong = await get('/flights', { method: 'DELETE' });
    assert.equal(wrong.status, 405);
    assert.ok(((await wrong.json()) as { error: string }).error);
  });

  it('hides internal errors behind a request id', async () => {
    const res = await get('/broken');
    assert.equal(res.status, 500);
    const body = (await res.json()) as { error: string; request_id: string };
    assert.equal(body.error, 'Internal Server Error');
    assert.equal(body.request_id, res.headers.get('x-request-id'));
    assert.doesNotMatch(JSON.stringify(body), /no_such_table/);
    assert.ok(logged.some((l) => l.includes(body.request_id) && l.includes('no_such_table')));
  });

  it('refuses a read endpoint whose statement writes', async () => {
    const res = await get('/sneaky');
    assert.equal(res.status, 500);
    const count = (await (await get('/flights')).json()) as unknown[];
    assert.equal(count.length, 30);
  });

  it('sets X-Request-Id, reusing a sane incoming one', async () => {
    const own = await get('/_flapi/health', { headers: { 'X-Request-Id': 'abc-123' } });
    assert.equal(own.headers.get('x-request-id'), 'abc-123');
    const insane = await get('/_flapi/health', { headers: { 'X-Request-Id': 'a b<script>' } });
    assert.notEqual(insane.headers.get('x-request-id'), 'a b<script>');
    assert.match(insane.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const missing = await get('/nope');
    assert.ok(missing.headers.get('x-request-id'));
  });

  it('reads body and header parameters, applies defaults, refuses unknown fields', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      get('/search', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    const ok = await post(JSON.stringify({ origin: 'SFO', since: '2024-01-20' }), { 'x-tenant': 'acme' });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), [{ n: 4 }]);
    const withDefault = await post(JSON.stringify({ origin: 'SFO' }));
    assert.deepEqual(await withDefault.json(), [{ n: 10 }]);
    const bad = await post(JSON.stringify({ origin: 'ORD', extra: 1 }), { 'X-TENANT': 'far-too-long' });
    assert.equal(bad.status, 400);
    const fields = ((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    assert.deepEqual(fields, ['X-Tenant', 'extra', 'origin']);
    const malformed = await post('{"origin":');
    assert.equal(malformed.status, 400);
    const huge = await post(JSON.stringify({ origin: 'x'.repeat(10_000) }));
    assert.equal(huge.status, 413);
    const health = await get('/_flapi/health');
    assert.equal(health.status, 200);
  });

  it('pages with total, next and X-Total-Count', async () => {
    const first = await get('/pages?origin=LAX&limit=4');
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-total-count'), '10');
    const page = (await first.json()) as { data: { id: number }[]; next: string | null; total_count: number };
    assert.deepEqual(page.data.map((r) => r.id), [1, 4, 7, 10]);
    assert.equal(page.total_count, 10);
    assert.ok(page.next);
    const second = (await (await get(page.next!)).json()) as typeof page;
    assert.deepEqual(second.data.map((r) => r.id), [13, 16, 19, 22]);
    const last = (await (await get(second.next!)).json()) as typeof page;
    assert.deepEqual(last.data.map((r) => r.id), [25, 28]);
    assert.equal(last.next, null);
    const defaults = (await (await get('/pages')).json()) as typeof page;
    assert.equal(defaults.data.length, 5);
    assert.equal(defaults.total_count, 30);
    const tooMany = await get('/pages?limit=21');
    assert.equal(tooMany.status, 400);
  });

  it('reports readiness with a data version', async () => {
    const res = await get('/_flapi/ready');
    const body = (await res.json()) as { status: string; data_version: number };
    assert.equal(body.status, 'ready');
    assert.equal(typeof body.data_version, 'number');
  });
});
