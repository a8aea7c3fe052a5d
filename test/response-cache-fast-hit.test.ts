import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Context, Next } from 'koa';
import { createApp, silentLogger, type FlapiApp } from '../runtime/index.js';
import { openEndpointNames } from '../runtime/app/fast-cache-hit.js';
import type { Manifest } from '../runtime/manifest.js';
import { endpoint, manifest } from './serve-fixture.js';

const m: Manifest = {
  ...manifest([
    endpoint({
      urlPath: '/flights/:id',
      sql: 'SELECT id, origin, day, price FROM flights WHERE id = {{params.id}}',
      params: [{ name: 'id', in: 'path', required: true, validators: [{ type: 'int', min: 1 }] }],
    }),
    endpoint({
      urlPath: '/guarded/:id',
      sql: 'SELECT id, origin FROM flights WHERE id = {{params.id}}',
      params: [{ name: 'id', in: 'path', required: true, validators: [{ type: 'int', min: 1 }] }],
      rateLimit: { enabled: true, max: 1000, interval: 60, key: 'ip' },
    }),
  ]),
};
m.server = { ...m.server, responseCacheBytes: 1 << 20 };

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; base: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Headers that must be the same whichever path answered (per-response ones left out). */
function comparable(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!['date', 'x-request-id', 'connection', 'keep-alive'].includes(name)) out[name] = value;
  });
  return out;
}

describe('response-cache hits answered before Koa', () => {
  let flapi: FlapiApp;
  let fast: { server: Server; base: string };
  let koaOnly: { server: Server; base: string };
  let koaSeen = 0;

  before(async () => {
    flapi = await createApp(m, { logger: silentLogger });
    // Counts the requests that reach Koa at all (callback() composes the chain when called).
    flapi.app.middleware.unshift(async (_ctx: Context, next: Next) => {
      koaSeen++;
      await next();
    });
    fast = await listen(flapi.callback());
    // The same app (same cache) served by Koa alone: the reference for what a hit looks like.
    koaOnly = await listen(flapi.app.callback());
  });

  after(async () => {
    for (const s of [fast, koaOnly]) await new Promise((resolve) => s.server.close(resolve));
    await flapi.close();
  });

  it('answers a repeated read without Koa, with the headers and bytes Koa would send', async () => {
    const miss = await fetch(`${fast.base}/flights/7`);
    const missBody = await miss.text();
    assert.equal(miss.headers.get('x-cache'), 'MISS');
    const seenAfterMiss = koaSeen;

    const hit = await fetch(`${fast.base}/flights/7`, { headers: { 'X-Request-Id': 'trace-42' } });
    assert.equal(hit.status, 200);
    assert.equal(await hit.text(), missBody);
    assert.equal(koaSeen, seenAfterMiss, 'the hit did not reach Koa');
    assert.equal(hit.headers.get('x-cache'), 'HIT');
    assert.equal(hit.headers.get('etag'), miss.headers.get('etag'));
    assert.equal(hit.headers.get('x-request-id'), 'trace-42');
    assert.equal(hit.headers.get('content-length'), String(Buffer.byteLength(missBody)));

    const reference = await fetch(`${koaOnly.base}/flights/7`);
    assert.equal(await reference.text(), missBody);
    assert.equal(reference.headers.get('x-cache'), 'HIT');
    assert.equal(koaSeen, seenAfterMiss + 1);
    assert.deepEqual(comparable(hit.headers), comparable(reference.headers));

    const generated = await fetch(`${fast.base}/flights/7`, { headers: { 'X-Request-Id': 'not a sane id' } });
    await generated.text();
    assert.match(generated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('answers If-None-Match with a 304 shaped like Koa’s', async () => {
    const first = await fetch(`${fast.base}/flights/8`);
    await first.text();
    const etag = first.headers.get('etag')!;
    const seen = koaSeen;
    const notModified = await fetch(`${fast.base}/flights/8`, { headers: { 'If-None-Match': etag } });
    assert.equal(notModified.status, 304);
    assert.equal(await notModified.text(), '');
    assert.equal(koaSeen, seen);
    const reference = await fetch(`${koaOnly.base}/flights/8`, { headers: { 'If-None-Match': `"other", ${etag}` } });
    assert.equal(reference.status, 304);
    assert.deepEqual(comparable(notModified.headers), comparable(reference.headers));
  });

  it('counts hits and times them under the endpoint’s name', async () => {
    const hitsBefore = flapi.metrics.cacheHits;
    const series = () => {
      const line = flapi.metrics.render().split('\n').find((l) => l.startsWith('flapi_http_requests_total{endpoint="_flights_id",method="GET",status="200"}'));
      return Number(line?.split(' ').pop() ?? 0);
    };
    await (await fetch(`${fast.base}/flights/9`)).text();
    const before = series();
    for (let i = 0; i < 3; i++) await (await fetch(`${fast.base}/flights/9`)).text();
    assert.equal(flapi.metrics.cacheHits - hitsBefore, 3);
    assert.equal(series() - before, 3);
    assert.equal(flapi.responseCache.stats().hits, flapi.metrics.cacheHits);
  });

  it('keeps its hands off endpoints with a policy before the cache, other formats and a data change', async () => {
    await (await fetch(`${fast.base}/guarded/3`)).text();
    const seen = koaSeen;
    const guarded = await fetch(`${fast.base}/guarded/3`);
    await guarded.text();
    assert.equal(guarded.headers.get('x-cache'), 'HIT', 'cached, but answered through the middleware chain');
    assert.equal(koaSeen, seen + 1);

    // The JSON entry of /flights/7 is cached; a request for another format must not get it.
    const csv = await fetch(`${fast.base}/flights/7`, { headers: { Accept: 'text/csv' } });
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(await csv.text(), /^id,origin,day,price/);
    const viaQuery = await fetch(`${fast.base}/flights/7?format=csv`);
    assert.match(viaQuery.headers.get('content-type') ?? '', /^text\/csv/);
    await viaQuery.text();
    const json1 = await fetch(`${fast.base}/flights/7?format=json`);
    // The same validated inputs as /flights/7: the handler finds that entry and files this spelling for the fast path.
    assert.equal(json1.headers.get('x-cache'), 'HIT', 'the same validated inputs share an entry');
    const jsonText = await json1.text();
    const seenBefore = koaSeen;
    const json2 = await fetch(`${fast.base}/flights/7?format=json`);
    assert.equal(await json2.text(), jsonText);
    assert.equal(json2.headers.get('x-cache'), 'HIT');
    assert.equal(koaSeen, seenBefore);

    const head = await fetch(`${fast.base}/flights/7`, { method: 'HEAD' });
    assert.equal(head.headers.get('x-cache'), 'HIT');

    flapi.database.markDataChanged();
    const afterChange = await fetch(`${fast.base}/flights/7`);
    await afterChange.text();
    assert.equal(afterChange.headers.get('x-cache'), 'MISS');
  });

  it('treats every endpoint as guarded once a global policy exists', () => {
    assert.deepEqual([...openEndpointNames(m)], ['_flights_id']);
    assert.equal(openEndpointNames({ ...m, cors: { enabled: false, allowedOrigins: [], credentials: false } }).size, 0);
    assert.equal(openEndpointNames({ ...m, auth: { enabled: true, type: 'api-key', apiKey: { header: 'X-API-Key', keys: [] } } }).size, 0);
    assert.equal(openEndpointNames({ ...m, server: { ...m.server, enforceHttps: true } }).size, 0);
  });
});
