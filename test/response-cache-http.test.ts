import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { csvStream, negotiateFormat } from '../runtime/formats/index.js';
import { Metrics } from '../runtime/metrics/index.js';
import { createResponseCache, identityOf, LruStore, type ResponseCache } from '../runtime/response-cache/index.js';
import { rowObjectsFromResult } from '../runtime/serialize/index.js';

/**
 * Asks the cache the way an endpoint handler does, with a key made of what this test's
 * handler reads: the path, `n`, the negotiated format and the verified caller.
 */
function viaCache(c: ResponseCache): Koa.Middleware {
  return (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    const format = negotiateFormat(ctx.get('Accept') || undefined, ctx.query.format as string | undefined) ?? '?';
    return c.respond(ctx, `${ctx.path}\u0000${String(ctx.query.n ?? '')}\u0000${format}\u0000${identityOf(ctx)}`, () => next());
  };
}

let instance: DuckDBInstance;
let conn: DuckDBConnection;
let server: Server;
let base: string;
let dataVersion = 1;
let queries = 0;
const metrics = new Metrics();
const cache = createResponseCache({ maxBytes: 1 << 20, dataVersion: () => dataVersion, metrics });

before(async () => {
  instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  conn = await instance.connect();
  await conn.run(`CREATE TABLE t AS SELECT i AS id, 'name ' || i AS name FROM range(0, 100) r(i)`);
  const app = new Koa();
  app.use(async (ctx, next) => {
    ctx.set('X-Request-Id', String(Math.random()));
    await next();
  });
  // Stands in for the security middleware: the verified caller, not the raw header, keys the cache.
  app.use(async (ctx, next) => {
    const who = ctx.get('Authorization').replace(/^Bearer /, '') || ctx.get('X-API-Key');
    ctx.state.auth = who ? { authenticated: true, username: who, roles: [] } : { authenticated: false, roles: [] };
    await next();
  });
  app.use(viaCache(cache));
  app.use(async (ctx) => {
    queries++;
    const format = negotiateFormat(ctx.get('Accept') || undefined, ctx.query.format as string | undefined);
    if (ctx.path === '/missing') {
      ctx.status = 404;
      ctx.body = { error: 'Not Found' };
      return;
    }
    const prepared = await conn.prepare(`SELECT id, name, $2::INTEGER AS version FROM t WHERE id < $1 ORDER BY id`);
    prepared.bind([Number(ctx.query.n ?? 3), dataVersion]);
    if (ctx.path === '/stream') {
      ctx.type = 'text/csv';
      ctx.body = csvStream(await prepared.stream());
      return;
    }
    const rows = await rowObjectsFromResult(await prepared.run());
    if (format === 'csv') {
      ctx.type = 'text/csv';
      ctx.body = rows.map((r) => `${r.id},${r.name}`).join('\n');
    } else {
      ctx.set('X-Total-Count', String(rows.length));
      ctx.body = { data: rows, who: ctx.get('Authorization') ? 'someone' : 'anonymous' };
    }
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  conn.closeSync();
  instance.closeSync();
});

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, { headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

describe('response cache', () => {
  it('answers a repeated read from memory with the same bytes and headers', async () => {
    const before = queries;
    const first = await get('/rows?n=5&tag=a');
    const second = await get('/rows?tag=a&n=5');
    assert.equal(first.headers.get('x-cache'), 'MISS');
    assert.equal(second.headers.get('x-cache'), 'HIT');
    assert.equal(queries - before, 1, 'the query ran once');
    assert.equal(second.body, first.body);
    assert.equal(JSON.parse(second.body).data.length, 5);
    assert.equal(second.headers.get('etag'), first.headers.get('etag'));
    assert.match(first.headers.get('etag') ?? '', /^"[A-Za-z0-9_-]{27}"$/);
    assert.equal(second.headers.get('content-type'), first.headers.get('content-type'));
    assert.equal(second.headers.get('x-total-count'), '5');
    assert.notEqual(second.headers.get('x-request-id'), first.headers.get('x-request-id'), 'per-request headers are not replayed');
  });

  it('keys by negotiated format and by verified identity', async () => {
    const json = await get('/rows?n=2');
    const csv = await get('/rows?n=2', { Accept: 'text/csv' });
    const csvAgain = await get('/rows?n=2&format=csv');
    assert.equal(csv.headers.get('x-cache'), 'MISS');
    assert.equal(csv.body, '0,name 0\n1,name 1');
    assert.notEqual(csv.body, json.body);
    // The key is what the handler validated, not the request's text: the same format asked another way shares the entry.
    assert.equal(csvAgain.headers.get('x-cache'), 'HIT', 'same inputs, other spelling');
    const alice = await get('/rows?n=2', { Authorization: 'Bearer alice' });
    const bob = await get('/rows?n=2', { Authorization: 'Bearer bob' });
    const aliceAgain = await get('/rows?n=2', { Authorization: 'Bearer alice' });
    assert.equal(alice.headers.get('x-cache'), 'MISS');
    assert.equal(JSON.parse(alice.body).who, 'someone');
    assert.equal(bob.headers.get('x-cache'), 'MISS');
    assert.equal(aliceAgain.headers.get('x-cache'), 'HIT');
    assert.equal((await get('/rows?n=2', { 'X-API-Key': 'k1' })).headers.get('x-cache'), 'MISS');
  });

  it('answers If-None-Match with 304, on a hit and on a fresh miss', async () => {
    const first = await get('/rows?n=7');
    const etag = first.headers.get('etag')!;
    const hit = await get('/rows?n=7', { 'If-None-Match': etag });
    assert.equal(hit.status, 304);
    assert.equal(hit.body, '');
    assert.equal(hit.headers.get('x-cache'), 'HIT');
    cache.invalidate();
    const before = queries;
    const miss = await get('/rows?n=7', { 'If-None-Match': `"other", ${etag}` });
    assert.equal(miss.status, 304);
    assert.equal(miss.headers.get('x-cache'), 'MISS');
    assert.equal(queries - before, 1);
    assert.equal((await get('/rows?n=7', { 'If-None-Match': '"stale"' })).status, 200);
  });

  it('is emptied by a data version change and by invalidate()', async () => {
    await get('/rows?n=4');
    assert.equal((await get('/rows?n=4')).headers.get('x-cache'), 'HIT');
    dataVersion++;
    const after = await get('/rows?n=4');
    assert.equal(after.headers.get('x-cache'), 'MISS');
    assert.equal(JSON.parse(after.body).data[0].version, dataVersion, 'fresh data after the change');
    assert.equal((await get('/rows?n=4')).headers.get('x-cache'), 'HIT');
    cache.invalidate();
    assert.equal((await get('/rows?n=4')).headers.get('x-cache'), 'MISS');
  });

  it('lets streams and non-200 answers through uncached', async () => {
    const one = await get('/stream?n=50');
    const two = await get('/stream?n=50');
    assert.equal(two.headers.get('x-cache'), 'MISS');
    assert.equal(two.headers.get('etag'), null);
    assert.equal(two.body, one.body);
    assert.equal(one.body.split('\r\n').length, 52);
    await get('/missing');
    assert.equal((await get('/missing')).headers.get('x-cache'), 'MISS');
  });

  it('counts hits and misses into metrics', () => {
    const stats = cache.stats();
    assert.ok(stats.hits > 0 && stats.misses > 0);
    assert.equal(metrics.cacheHits, stats.hits);
    assert.equal(metrics.cacheMisses, stats.misses);
    assert.match(metrics.render(), new RegExp(`flapi_response_cache_hits_total ${stats.hits}\\n`));
  });

  it('stays within its byte bound, evicting the least recently used', async () => {
    const small = createResponseCache({ maxBytes: 4096, maxEntryBytes: 4096, dataVersion: () => 1 });
    const app = new Koa();
    app.use(viaCache(small));
    app.use((ctx) => {
      ctx.body = 'x'.repeat(1000) + ctx.path;
    });
    const s = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => s.once('listening', resolve));
    const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    try {
      const cacheState = async (path: string) => (await fetch(`${url}${path}`).then(async (r) => { await r.text(); return r.headers.get('x-cache'); }));
      for (const p of ['/a', '/b', '/c']) await cacheState(p);
      assert.equal(await cacheState('/a'), 'HIT', '/a is now the most recent');
      await cacheState('/d');
      assert.ok(small.stats().bytes <= 4096, `${small.stats().bytes} bytes kept`);
      assert.equal(await cacheState('/a'), 'HIT');
      assert.equal(await cacheState('/b'), 'MISS', 'the least recently used entry went first');
      const big = await fetch(`${url}/${'y'.repeat(5000)}`);
      await big.text();
      assert.ok(small.stats().bytes <= 4096);
    } finally {
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it('LruStore refuses entries larger than the whole bound', () => {
    const store = new LruStore(100);
    store.set('k', { status: 200, headers: {}, body: Buffer.alloc(10), etag: '"e"', size: 101 });
    assert.equal(store.count, 0);
  });
});
