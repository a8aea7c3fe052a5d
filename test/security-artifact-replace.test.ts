/**
 * Finding 10: a local artifact rewritten in place while it is served (`cp new.duckdb
 * served.duckdb`) must not fail a single request. The server serves its own copy of each
 * version, notices the rewrite by the file's status and swaps to the new version.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startServer, type StartedServer } from '../runtime/index.js';
import { artifactManifest, recordingLogger, writeArtifact } from './support/artifact-files.js';

const run = promisify(execFile);
/** Several row groups: a lookup reads only the one holding its id, so most blocks are read after the cp. */
const ROWS = 1_000_000;

describe('a local artifact replaced in place while served', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flapi-replace-'));
  const served = join(dir, 'served.duckdb');
  const next = join(dir, 'next.duckdb');
  const downloads = join(dir, 'downloads');
  let server: StartedServer;
  const log = recordingLogger();

  before(async () => {
    mkdirSync(downloads);
    await writeArtifact(served, { label: 'v1', rows: ROWS });
    await writeArtifact(next, { label: 'v2', rows: 1000 });
    const m = artifactManifest(served, { pollIntervalMs: 0, downloadDir: downloads });
    server = await startServer(m, { port: 0, logger: log.logger });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every request in flight during the cp, then serves the new version', async () => {
    let stop = false;
    let copying = false;
    let n = 0;
    const failures: string[] = [];
    const labels = new Set<string>();
    const client = async (): Promise<void> => {
      while (!stop) {
        // A distinct query string each time: answered by the database, not the response cache.
        const id = 1 + ((n * 7919) % (copying ? ROWS : 1000));
        const response = await fetch(`${server.url}/flights/${id}?n=${n++}`);
        const text = await response.text();
        if (response.status !== 200) failures.push(`${response.status} ${text}`);
        else for (const row of JSON.parse(text) as { label: string | null }[]) labels.add(String(row.label));
      }
    };
    const clients = Array.from({ length: 4 }, client);
    await new Promise((r) => setTimeout(r, 200));
    copying = true;
    await run('cp', [next, served]);
    // Requests keep reaching the old version for a while: each must still be answered from it.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await server.artifact!.checkNow(), 'swapped');
    copying = false;
    const swapped = n;
    while (n < swapped + 20) await new Promise((r) => setTimeout(r, 20));
    stop = true;
    await Promise.all(clients);
    assert.deepEqual(failures.slice(0, 3), [], `${failures.length} of ${n} requests failed`);
    assert.deepEqual([...labels].sort(), ['v1', 'v2'], 'every row came whole from one version');
    assert.equal(((await (await fetch(`${server.url}/_flapi/ready`)).json()) as { artifact: { version: string } }).artifact.version, 'v2');
  });

  it('keeps one private copy per version served and removes retired ones', async () => {
    const copies = readdirSync(downloads, { recursive: true }).filter((f) => String(f).endsWith('.duckdb'));
    assert.equal(copies.length, 1, copies.join());
  });
});
