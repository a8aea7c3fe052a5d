/**
 * Finding 3 (the parts outside the request handler): the wait for a database connection
 * is bounded in length and time, answering 503 with Retry-After past either, and SIGTERM
 * drains for at most `limits.shutdown-timeout`, then interrupts running queries and exits.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger, startServer, type HttpServerHandle } from '../runtime/index.js';
import type { Manifest } from '../runtime/manifest.js';
import { tempProject } from './support/cache-project.js';
import { endpoint, manifest } from './serve-fixture.js';

/** Runs until interrupted: far longer than any test. */
const ENDLESS = 'SELECT sum(a.range * b.range) AS s FROM range(100000000) a, range(100000000) b';

function slowManifest(): Manifest {
  const m = manifest([
    endpoint({ urlPath: '/slow', sql: ENDLESS }),
    endpoint({ urlPath: '/fast', sql: 'SELECT 1 AS one' }),
  ]);
  m.server.poolSize = 1;
  return m;
}

describe('the wait for a database connection is bounded', () => {
  let server: HttpServerHandle;
  before(async () => {
    const m = slowManifest();
    m.server.requestTimeoutMs = 2500;
    m.server.poolQueue = 2;
    m.server.poolWaitMs = 600;
    server = await startServer(m, { port: 0, logger: silentLogger });
  });
  after(() => server.close());

  it('answers 503 with Retry-After when the queue is full, and again when a wait times out', async () => {
    const busy = fetch(`${server.url}/slow`);
    await new Promise((r) => setTimeout(r, 150));
    const started = Date.now();
    const waiting = [fetch(`${server.url}/fast?a=1`), fetch(`${server.url}/fast?a=2`)];
    await new Promise((r) => setTimeout(r, 100));
    const refused = await fetch(`${server.url}/fast?a=3`);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.match(((await refused.json()) as { error: string }).error, /busy/);
    assert.ok(Date.now() - started < 500, 'refused at once, not after waiting');

    for (const response of await Promise.all(waiting)) {
      assert.equal(response.status, 503);
      assert.ok(Number(response.headers.get('retry-after')) >= 1);
      assert.match(((await response.json()) as { error: string }).error, /within 600 ms/);
    }
    assert.ok(Date.now() - started < 2000, 'the waits ended at pool-wait');
    assert.equal((await fetch(`${server.url}/_flapi/health`)).status, 200);
    assert.equal((await busy).status, 503, 'the slow query met its request timeout');
    const fast = await fetch(`${server.url}/fast?a=4`);
    assert.equal(fast.status, 200, 'the pool works again afterwards');
  });

  it('reads limits.pool-queue, pool-wait and shutdown-timeout from flapi.yaml', async () => {
    const project = tempProject({
      'flapi.yaml': 'project-name: limits\ntemplate:\n  path: ./sqls\nlimits:\n  pool-queue: 5\n  pool-wait: 2s\n  shutdown-timeout: 3s\nconnections:\n  db:\n    init: SELECT 1;\n',
      'sqls/one.yaml': 'url-path: /one\ntemplate-source: one.sql\nconnection: [db]\n',
      'sqls/one.sql': 'SELECT 1 AS one',
    });
    try {
      const compiled = await project.compile();
      assert.equal(compiled.server.poolQueue, 5);
      assert.equal(compiled.server.poolWaitMs, 2000);
      assert.equal(compiled.server.shutdownTimeoutMs, 3000);
    } finally {
      project.remove();
    }
  });
});

describe('SIGTERM', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flapi-sigterm-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('interrupts a query still running at the deadline and exits', async () => {
    const m = slowManifest();
    m.server.shutdownTimeoutMs = 1000;
    const file = join(dir, 'manifest.json');
    writeFileSync(file, JSON.stringify(m));
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/serve-until-signal.ts', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const found = /listening (\S+)/.exec(out);
          if (found) resolve(found[1]!);
        });
        child.once('exit', () => reject(new Error(`the server exited early: ${out}`)));
      });
      const slow = fetch(`${url}/slow`).then((r) => r.status, () => 'closed');
      await new Promise((r) => setTimeout(r, 300));
      const signalled = Date.now();
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(r, 8000, 'hung'))]);
      assert.notEqual(code, 'hung', 'the server exited');
      const took = Date.now() - signalled;
      assert.equal(code, 0);
      assert.ok(took >= 900 && took < 5000, `exited ${took} ms after SIGTERM`);
      assert.match(out, /closed/);
      const status = await slow;
      assert.ok(status === 503 || status === 'closed', `the slow request got ${status}`);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
