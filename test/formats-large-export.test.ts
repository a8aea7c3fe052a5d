import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import Koa from 'koa';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CONTENT_TYPES, csvStream } from '../runtime/formats/index.js';

const FLIGHTS = fileURLToPath(new URL('../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));

let instance: DuckDBInstance;
let conn: DuckDBConnection;
let server: Server;
let baseUrl: string;

before(async () => {
  instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    threads: '2',
  });
  conn = await instance.connect();
  const app = new Koa();
  app.use(async (ctx) => {
    const prepared = await conn.prepare(`SELECT * FROM read_parquet($1)`);
    prepared.bind([FLIGHTS]);
    ctx.type = CONTENT_TYPES.csv;
    ctx.body = csvStream(await prepared.stream());
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  conn.closeSync();
  instance.closeSync();
});

it('streams a 3M-row CSV export over HTTP with RSS under 500 MB', { timeout: 60_000 }, async () => {
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  let bytes = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  try {
    const response = await fetch(`${baseUrl}/flights.csv`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    let lines = 0;
    let first = '';
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (!first) first = Buffer.from(value.subarray(0, 200)).toString('utf8');
      for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
    }
    assert.equal(lines, 3_000_001, 'header plus every row');
    assert.ok(first.startsWith('date,delay,distance,origin,destination\r\n'), first);
    assert.ok(bytes > 50_000_000, `a large body (${bytes} bytes)`);
  } finally {
    clearInterval(sampler);
  }
  const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`;
  assert.ok(peakRss < 500 * 1024 * 1024, `peak RSS ${mb(peakRss)}`);
  // Holding the body, even as one string, would grow the process by more than its size.
  assert.ok(peakRss - baseRss < bytes, `RSS grew ${mb(peakRss - baseRss)} for a ${mb(bytes)} body`);
  console.log(`# peak RSS ${mb(peakRss)}, grew ${mb(peakRss - baseRss)} for ${mb(bytes)}`);
});
