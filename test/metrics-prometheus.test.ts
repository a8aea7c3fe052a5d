import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import { Metrics, metricsRoute, requestMetrics } from '../runtime/metrics/index.js';

let server: Server;
let base: string;
const metrics = new Metrics({ pool: () => ({ inUse: 1, size: 4, waiting: 2 }) });

before(async () => {
  const app = new Koa();
  app.silent = true;
  app.use(metricsRoute(metrics));
  app.use(requestMetrics(metrics));
  app.use(async (ctx) => {
    if (ctx.path === '/flights') {
      ctx.state['endpoint'] = 'get_flights';
      await new Promise((resolve) => setTimeout(resolve, 30));
      ctx.body = { ok: true };
    } else if (ctx.path === '/boom') {
      ctx.state['endpoint'] = 'get_boom "quoted"';
      throw new Error('kaboom');
    } else {
      ctx.status = 404;
    }
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

it('exposes request counts, latency, errors, cache and pool gauges as Prometheus text', async () => {
  for (let i = 0; i < 3; i++) assert.equal((await fetch(`${base}/flights?x=${i}`)).status, 200);
  assert.equal((await fetch(`${base}/boom`)).status, 500);
  assert.equal((await fetch(`${base}/nope/123`)).status, 404);
  metrics.cacheHit();
  metrics.cacheHit();
  metrics.cacheMiss();

  const response = await fetch(`${base}/_flapi/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await response.text();

  for (const line of text.trimEnd().split('\n')) {
    assert.match(line, /^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{([a-z_]+="([^"\\]|\\.)*",?)+\})? -?[0-9.e+]+)$/, line);
  }
  assert.equal(sample(text, 'flapi_http_requests_total{endpoint="get_flights",method="GET",status="200"}'), 3);
  assert.equal(sample(text, 'flapi_http_requests_total{endpoint="get_boom \\"quoted\\"",method="GET",status="500"}'), 1);
  assert.equal(sample(text, 'flapi_http_errors_total{endpoint="get_boom \\"quoted\\"",method="GET",status="500"}'), 1);
  assert.equal(sample(text, 'flapi_http_requests_total{endpoint="other",method="GET",status="404"}'), 1, 'unknown paths share one series');
  assert.equal(text.includes('/nope/123'), false);

  const h = 'flapi_http_request_duration_seconds';
  assert.equal(sample(text, `${h}_count{endpoint="get_flights",method="GET"}`), 3);
  const sum = sample(text, `${h}_sum{endpoint="get_flights",method="GET"}`)!;
  assert.ok(sum >= 0.09 && sum < 5, `three 30 ms requests took ${sum} s`);
  assert.equal(sample(text, `${h}_bucket{endpoint="get_flights",method="GET",le="0.025"}`), 0);
  assert.equal(sample(text, `${h}_bucket{endpoint="get_flights",method="GET",le="+Inf"}`), 3);
  const buckets = text.split('\n').filter((l) => l.startsWith(`${h}_bucket{endpoint="get_flights"`)).map((l) => Number(l.split(' ').pop()));
  assert.deepEqual(buckets, [...buckets].sort((a, b) => a - b), 'buckets are cumulative');

  assert.equal(sample(text, 'flapi_response_cache_hits_total'), 2);
  assert.equal(sample(text, 'flapi_response_cache_misses_total'), 1);
  assert.equal(sample(text, 'flapi_db_pool_in_use'), 1);
  assert.equal(sample(text, 'flapi_db_pool_size'), 4);
  assert.equal(sample(text, 'flapi_db_pool_waiting'), 2);
  assert.ok(sample(text, 'process_resident_memory_bytes')! > 0);
});
