import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';

/**
 * `flapi dev` on examples/flights as a real child process: formats, the response cache
 * seen through metrics and ETags, OpenAPI, and a 3M-row CSV export whose server RSS stays
 * small because it streams.
 */
const CLI = new URL('../bin/flapi.js', import.meta.url).pathname;
const EXAMPLE = new URL('../examples/flights', import.meta.url).pathname;

describe('flapi dev serving examples/flights', () => {
  let child: ChildProcess;
  let base = '';

  before(async () => {
    child = spawn(process.execPath, [CLI, 'dev', EXAMPLE, '--port', '0', '--no-watch'], { stdio: ['ignore', 'pipe', 'pipe'] });
    base = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`flapi dev did not start: ${out}`)), 30_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const match = /serving at (http:\/\/\S+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      child.once('exit', (code) => reject(new Error(`flapi dev exited ${code}: ${out}`)));
    });
  });

  after(() => {
    child?.kill('SIGTERM');
  });

  it('answers the same rows as JSON, CSV, NDJSON, Arrow and Parquet', async () => {
    const query = '/exports/flights?origin=HNL&max_rows=50';
    const json = (await (await fetch(base + query)).json()) as Array<Record<string, unknown>>;
    assert.equal(json.length, 50);

    const csv = await fetch(`${base}${query}&format=csv`);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    assert.equal(lines[0], 'id,date,delay,distance,origin,destination');
    assert.deepEqual(lines.slice(1).map((l) => Number(l.split(',')[0])), json.map((r) => r.id));

    const ndjson = await fetch(base + query, { headers: { accept: 'application/x-ndjson' } });
    const objects = (await ndjson.text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(objects, json);

    const arrow = tableFromIPC(new Uint8Array(await (await fetch(`${base}${query}&format=arrow`)).arrayBuffer()));
    assert.equal(arrow.numRows, 50);
    assert.deepEqual(Array.from(arrow.getChild('id')!.toArray() as ArrayLike<bigint>, Number), json.map((r) => r.id));

    const parquet = await fetch(`${base}${query}&format=parquet`);
    assert.equal(parquet.status, 200);
    const file = `${process.env.TMPDIR ?? '/tmp'}/flapi-test-${process.pid}.parquet`;
    const { writeFile, unlink } = await import('node:fs/promises');
    await writeFile(file, new Uint8Array(await parquet.arrayBuffer()));
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    const read = await connection.runAndReadAll(`SELECT count(*)::INTEGER AS n, min(id)::INTEGER AS first FROM read_parquet('${file}')`);
    assert.deepEqual(read.getRowObjectsJson()[0], { n: 50, first: json[0].id });
    connection.closeSync();
    await unlink(file);
  });

  it('refuses an unknown format with 406', async () => {
    const response = await fetch(`${base}/flights/1?format=xml`);
    assert.equal(response.status, 406);
    assert.match(((await response.json()) as { error: string }).error, /json, csv, ndjson, arrow, parquet/);
  });

  it('serves repeated reads from the response cache, with ETag and 304', async () => {
    const metric = async (name: string) => {
      const text = await (await fetch(`${base}/_flapi/metrics`)).text();
      return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
    };
    const hitsBefore = await metric('flapi_response_cache_hits_total');
    const first = await fetch(`${base}/airports?state=HI&sort=iata`);
    const etag = first.headers.get('etag');
    const firstBody = await first.text();
    assert.ok(etag);
    const second = await fetch(`${base}/airports?sort=iata&state=HI`);
    assert.equal(second.headers.get('x-cache'), 'HIT');
    assert.equal(await second.text(), firstBody);
    const notModified = await fetch(`${base}/airports?state=HI&sort=iata`, { headers: { 'if-none-match': etag } });
    assert.equal(notModified.status, 304);
    assert.ok((await metric('flapi_response_cache_hits_total')) >= hitsBefore + 1);
  });

  it('publishes every endpoint in /openapi.json', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown>; servers: Array<{ url: string }> };
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.servers[0].url, base);
    for (const path of ['/flights', '/flights/{id}', '/airports', '/airports/{iata}', '/exports/flights']) assert.ok(doc.paths[path], path);
  });

  it('streams a 3M-row CSV export in bounded memory: the server RSS grows by under 100 MB', async () => {
    // The export's own peak, from the RSS it starts at: what the server holds before (the
    // tables and the flights(id) index) is not the export's doing. Writing 5 to
    // clear_refs resets VmHWM to the current RSS.
    const memory = (key: 'VmHWM' | 'VmRSS') => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
    writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
    const startKb = memory('VmRSS');
    const response = await fetch(`${base}/exports/flights?format=csv`);
    assert.equal(response.status, 200);
    let newlines = 0;
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (let i = 0; i < value.length; i++) if (value[i] === 10) newlines++;
    }
    assert.equal(newlines, 3_000_001);
    const peakKb = memory('VmHWM');
    // The CSV is over 100 MB: a server holding it (or its rows) would grow by more than that.
    assert.ok(startKb > 0 && peakKb - startKb < 100 * 1024, `server RSS ${Math.round(startKb / 1024)} MB, peak ${Math.round(peakKb / 1024)} MB during the export`);
  });
});
