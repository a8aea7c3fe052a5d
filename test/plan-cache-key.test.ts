/**
 * The response-cache key comes from what the endpoint validated (issue: one caller's
 * rows were served to another when a parameter came from a header or the body). Two
 * requests that differ only in a header parameter, a body parameter or an undeclared
 * query key never share an entry, and each gets its own rows; the same inputs spelt
 * differently do share one.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startServer, silentLogger, type HttpServerHandle } from '../runtime/index.js';
import { endpoint, manifest } from './serve-fixture.js';

const m = manifest([
  endpoint({
    urlPath: '/hdr',
    sql: "SELECT id, origin FROM flights WHERE origin = '{{{params.token}}}' ORDER BY id LIMIT 2",
    params: [{ name: 'token', in: 'header', required: true, validators: [] }],
  }),
  endpoint({
    urlPath: '/body',
    sql: "SELECT id, origin FROM flights WHERE origin = '{{{params.origin}}}' ORDER BY id LIMIT 2",
    params: [{ name: 'origin', in: 'body', required: true, validators: [] }],
  }),
  endpoint({
    urlPath: '/loose',
    // `origin` is not declared: it passes through as bound text (request-fields-validation is off).
    sql: "SELECT id, origin FROM flights WHERE 1 = 1 {{#params.origin}}AND origin = '{{{params.origin}}}'{{/params.origin}} ORDER BY id LIMIT 2",
  }),
]);
m.server.responseCacheBytes = 1 << 20;

interface Answer {
  status: number;
  cache: string | undefined;
  rows: { id: number; origin: string }[];
}

describe('response-cache key from validated inputs', () => {
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer(m, { port: 0, logger: silentLogger });
  });
  after(async () => {
    await server.close();
  });

  /** A GET with optional headers and a JSON body (fetch cannot send a GET body). */
  function get(path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> {
    const url = new URL(path, server.url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(url, { method: 'GET', headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, cache: res.headers['x-cache'] as string | undefined, rows: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  const origins = (a: Answer) => [...new Set(a.rows.map((r) => r.origin))];

  it('keeps header parameters apart', async () => {
    const lax = await get('/hdr', { token: 'LAX' });
    const jfk = await get('/hdr', { token: 'JFK' });
    assert.deepEqual([lax.cache, jfk.cache], ['MISS', 'MISS']);
    assert.deepEqual([origins(lax), origins(jfk)], [['LAX'], ['JFK']]);
    const laxAgain = await get('/hdr', { token: 'LAX' });
    assert.equal(laxAgain.cache, 'HIT');
    assert.deepEqual(laxAgain.rows, lax.rows);
  });

  it('keeps body parameters apart', async () => {
    const sfo = await get('/body', {}, { origin: 'SFO' });
    const lax = await get('/body', {}, { origin: 'LAX' });
    assert.deepEqual([sfo.cache, lax.cache], ['MISS', 'MISS']);
    assert.deepEqual([origins(sfo), origins(lax)], [['SFO'], ['LAX']]);
    assert.equal((await get('/body', {}, { origin: 'SFO' })).cache, 'HIT');
  });

  it('keeps undeclared query keys apart, and binds them', async () => {
    const all = await get('/loose');
    const jfk = await get('/loose?origin=JFK');
    const sfo = await get('/loose?origin=SFO');
    assert.deepEqual([all.cache, jfk.cache, sfo.cache], ['MISS', 'MISS', 'MISS']);
    assert.deepEqual([origins(jfk), origins(sfo)], [['JFK'], ['SFO']]);
    assert.ok(origins(all).length > 1);
    const hostile = await get(`/loose?origin=${encodeURIComponent("x' OR '1'='1")}`);
    assert.deepEqual([hostile.status, hostile.rows], [200, []]);
  });

  it('shares an entry between spellings of the same inputs', async () => {
    const first = await get('/loose?origin=LAX&format=json');
    const second = await get('/loose?format=json&origin=LAX');
    assert.deepEqual([first.cache, second.cache], ['MISS', 'HIT']);
  });

  it('refuses a repeated format with a 400 naming it', async () => {
    const res = await fetch(new URL('/loose?format=json&format=csv', server.url));
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { errors: [{ field: 'format', message: 'must be given once' }] });
  });
});
