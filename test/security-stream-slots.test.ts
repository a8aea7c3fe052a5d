/**
 * Slow readers of streamed exports cannot take every DuckDB connection: at most one fewer
 * streams than the pool has connections hold one, further exports get 503 at once, and
 * point lookups keep their connection. A file a request names that does not exist is a
 * 404 naming no path, not a 500.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, silentLogger, type HttpServerHandle } from '../runtime/index.js';
import { endpoint, manifest } from './serve-fixture.js';

describe('streamed exports and the pool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flapi-slots-'));
  const m = manifest([
    endpoint({ urlPath: '/export', sql: "SELECT i AS id, repeat('x', 60) AS pad FROM range(2000000) t(i)" }),
    endpoint({ urlPath: '/one', sql: 'SELECT 1 AS one' }),
    endpoint({
      urlPath: '/file/:name',
      sql: "SELECT * FROM read_csv('{{{conn.dir}}}/{{params.name}}.csv', header = true)",
      params: [{ name: 'name', in: 'path', required: true, validators: [{ type: 'string', regex: '^[a-z]+$' }] }],
    }),
  ]);
  m.server.poolSize = 2;
  // An export waits this long for its turn before the 503.
  m.server.poolWaitMs = 1500;
  m.connections['main']!.properties = { dir };
  let server: HttpServerHandle;
  const sockets: Socket[] = [];
  before(async () => {
    writeFileSync(join(dir, 'present.csv'), 'a\n1\n');
    server = await startServer(m, { port: 0, logger: silentLogger, poolSize: 2 });
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('queues a second concurrent export, answers 503 past the wait, and lookups keep a connection', async () => {
    const { port } = new URL(server.url);
    const stalled = connect(Number(port), '127.0.0.1');
    sockets.push(stalled);
    stalled.write('GET /export?format=csv HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise<void>((resolve) => stalled.once('data', () => resolve()));
    stalled.pause();
    // Lookups run while the second export waits: waiting for a slot holds no connection.
    const secondPending = fetch(`${server.url}/export?format=csv`, { signal: AbortSignal.timeout(10_000) });
    for (let i = 0; i < 3; i++) {
      const one = await fetch(`${server.url}/one?w=${i}`, { signal: AbortSignal.timeout(5_000) });
      assert.deepEqual(await one.json(), [{ one: 1 }]);
    }
    const second = await secondPending;
    assert.equal(second.status, 503);
    assert.equal(second.headers.get('retry-after'), '1');
    assert.match(((await second.json()) as { error: string }).error, /too many exports/);
    for (let i = 0; i < 5; i++) {
      const one = await fetch(`${server.url}/one?i=${i}`, { signal: AbortSignal.timeout(5_000) });
      assert.deepEqual(await one.json(), [{ one: 1 }]);
    }
    // An export that waits while the slot frees gets it.
    const third = fetch(`${server.url}/export?format=csv`, { signal: AbortSignal.timeout(30_000) });
    await new Promise((r) => setTimeout(r, 200));
    stalled.destroy();
    const served = await third;
    assert.equal(served.status, 200);
    await served.body?.cancel();
    // Its slot comes back with its connection.
    for (let i = 0; i < 100 && server.current.database.pool.inUse > 0; i++) await new Promise((r) => setTimeout(r, 20));
    const again = await fetch(`${server.url}/export?format=csv`, { signal: AbortSignal.timeout(30_000) });
    assert.equal(again.status, 200);
    await again.body?.cancel();
  });

  it('answers 404 naming no path for a file that is not there', async () => {
    assert.equal((await fetch(`${server.url}/file/present`)).status, 200);
    const missing = await fetch(`${server.url}/file/absent`);
    assert.equal(missing.status, 404);
    const body = await missing.text();
    assert.ok(!body.includes(dir) && !body.includes('absent.csv'), body);
  });
});
