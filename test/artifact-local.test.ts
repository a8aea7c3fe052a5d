import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ArtifactPoller,
  ArtifactStartError,
  createApp,
  describeLocation,
  openServedArtifact,
  parseArtifactLocation,
  parseDuration,
  startServer,
  type StartedServer,
} from '../runtime/index.js';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { downloadToFile } from '../runtime/artifact/download-to-file.js';
import { artifactManifest, recordingLogger, writeArtifact } from './support/artifact-files.js';

const dir = mkdtempSync(join(tmpdir(), 'flapi-artifact-local-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function json(url: string): Promise<unknown> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `${url} answered ${res.status}`);
  return res.json();
}

/** Replaces `file` by rename, as `flapi bake` does, so the open version stays intact. */
async function replaceWith(file: string, write: (tmp: string) => Promise<void> | void): Promise<void> {
  const tmp = `${file}.tmp`;
  await write(tmp);
  renameSync(tmp, file);
}

describe('artifact locations and settings', () => {
  it('parses local paths, s3://, gs:// and https:// and hides URL credentials', () => {
    assert.deepEqual(parseArtifactLocation('/data/a.duckdb'), { kind: 'local', path: '/data/a.duckdb' });
    assert.deepEqual(parseArtifactLocation('s3://bucket/dir/a.duckdb'), { kind: 's3', bucket: 'bucket', key: 'dir/a.duckdb' });
    assert.deepEqual(parseArtifactLocation('gs://bucket/a.duckdb'), { kind: 'gs', bucket: 'bucket', key: 'a.duckdb' });
    const signed = parseArtifactLocation('https://user:pw@cdn.example.com/a.duckdb?X-Amz-Signature=secret');
    assert.equal(signed.kind, 'https');
    assert.equal(describeLocation(signed), 'https://cdn.example.com/a.duckdb');
    assert.throws(() => parseArtifactLocation('s3://bucket-only'), /needs both a bucket and an object key/);
    assert.throws(() => parseArtifactLocation('ftp://host/a.duckdb'), /unsupported scheme ftp/);
  });

  it('checks a download against its announced length and MD5, and deletes a bad one', async () => {
    const bytes = Buffer.from('x'.repeat(1000));
    const md5 = createHash('md5').update(bytes).digest('hex');
    const dest = join(dir, 'download.bin');
    assert.equal(await downloadToFile(Readable.from([bytes]), dest, 1000, undefined, md5), 1000);
    await assert.rejects(downloadToFile(Readable.from([bytes.subarray(0, 600)]), dest, 1000), /download truncated: received 600 of 1000 bytes/);
    assert.equal(existsSync(dest), false);
    await assert.rejects(downloadToFile(Readable.from([bytes]), dest, 1000, undefined, '0'.repeat(32)), /does not match its ETag/);
    assert.equal(existsSync(dest), false);
  });

  it('reads poll intervals as durations', () => {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration(2), 2000);
    assert.equal(parseDuration('0'), 0);
    assert.equal(parseDuration('soon'), undefined);
  });
});

describe('a local artifact', () => {
  const file = join(dir, 'served.duckdb');
  let server: StartedServer;
  const log = recordingLogger();

  before(async () => {
    await writeArtifact(file, { label: 'v1' });
    server = await startServer(artifactManifest(file), { port: 0, logger: log.logger });
  });
  after(() => server.close());

  it('is opened read-only without running init, and /_flapi/ready names its version', async () => {
    assert.deepEqual(await json(`${server.url}/which`), [{ label: 'v1' }]);
    assert.deepEqual(await json(`${server.url}/flights/4`), [{ id: 4, origin: 'LAX', label: 'v1' }]);
    assert.equal(server.current.database.readOnly, true);
    const ready = (await json(`${server.url}/_flapi/ready`)) as { artifact: Record<string, unknown> };
    assert.equal(ready.artifact['version'], 'v1');
    assert.equal(ready.artifact['source'], file);
    assert.match(String(ready.artifact['built_at']), /^\d{4}-\d\d-\d\dT/);
  });

  it('swaps to a new version replaced by rename, and the response cache forgets the old answers', async () => {
    const before = await fetch(`${server.url}/which`);
    assert.equal(before.headers.get('x-cache'), 'HIT', 'the answer was cached');
    await replaceWith(file, (tmp) => writeArtifact(tmp, { label: 'v2' }));
    assert.equal(await server.artifact!.checkNow(), 'swapped');
    assert.deepEqual(await json(`${server.url}/which`), [{ label: 'v2' }]);
    assert.equal(((await json(`${server.url}/_flapi/ready`)) as { artifact: { version: string } }).artifact.version, 'v2');
    assert.equal(await server.artifact!.checkNow(), 'unchanged');
  });

  it('rejects a garbage, a truncated and an incomplete version with a log line, and keeps serving', async () => {
    const good = readFileSync(file);
    const cases: [string, (tmp: string) => Promise<void> | void, RegExp][] = [
      ['garbage', (tmp) => writeFileSync(tmp, '<html><body>502 Bad Gateway</body></html>'.repeat(400)), /rejected: not a DuckDB file \(\d+ bytes, starts with "<html><body>502 Bad Gateway/],
      ['truncated', (tmp) => writeFileSync(tmp, good.subarray(0, Math.floor(good.length * 0.6))), /rejected: DuckDB cannot (open|read) it: the file is truncated/],
      ['missing table', (tmp) => writeArtifact(tmp, { label: 'v3', withoutFlights: true }), /rejected: endpoint GET \/flights\/:id \(test\.yaml\) cannot run on it: Catalog Error: Table with name flights does not exist/],
    ];
    for (const [name, write, reason] of cases) {
      log.lines.length = 0;
      await replaceWith(file, write);
      assert.equal(await server.artifact!.checkNow(), 'rejected', name);
      const error = log.lines.find((l) => l.level === 'error');
      assert.ok(error, `${name}: an error was logged`);
      assert.match(error.message, reason, name);
      assert.match(error.message, new RegExp(`^artifact ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} .*; still serving version v2$`), name);
      assert.deepEqual(await json(`${server.url}/which`), [{ label: 'v2' }], `${name}: the old version answers`);
      assert.equal(await server.artifact!.checkNow(), 'unchanged', `${name}: a rejected version is not tried again`);
    }
  });

  it('polls on its own and swaps within the interval', async () => {
    const polled = join(dir, 'polled.duckdb');
    await writeArtifact(polled, { label: 'p1' });
    const s = await startServer(artifactManifest(polled, { pollIntervalMs: 100 }), { port: 0, logger: recordingLogger().logger });
    try {
      assert.deepEqual(await json(`${s.url}/which`), [{ label: 'p1' }]);
      await replaceWith(polled, (tmp) => writeArtifact(tmp, { label: 'p2' }));
      const started = Date.now();
      let label = 'p1';
      while (label === 'p1' && Date.now() - started < 15_000) {
        await new Promise((r) => setTimeout(r, 25));
        label = ((await json(`${s.url}/which`)) as { label: string }[])[0]!.label;
      }
      assert.equal(label, 'p2');
    } finally {
      await s.close();
    }
  });
});

describe('deciding what a local db_path is', () => {
  it('serves a file without flapi metadata as an ordinary writable database', async () => {
    const plain = join(dir, 'plain.duckdb');
    await writeArtifact(plain, { label: 'x', withoutMetadata: true });
    const m = artifactManifest(plain);
    assert.equal(await openServedArtifact(m), undefined);
    const app = await createApp({ ...m, connections: {} });
    try {
      assert.equal(app.database.readOnly, false);
      assert.equal(app.artifact, undefined);
    } finally {
      await app.close();
    }
  });

  it('serves it read-only when the project sets access_mode: READ_ONLY', async () => {
    const plain = join(dir, 'declared.duckdb');
    await writeArtifact(plain, { label: 'd', withoutMetadata: true });
    const m = artifactManifest(plain);
    const app = await createApp({ ...m, duckdb: { ...m.duckdb, settings: { ...m.duckdb.settings, access_mode: 'READ_ONLY' } } });
    try {
      assert.equal(app.database.readOnly, true);
      assert.equal(app.artifact?.version, app.artifact?.etag, 'without metadata the version is the file identity');
    } finally {
      await app.close();
    }
  });
});

describe('a cold start on a bad artifact', () => {
  it('fails fast, naming the artifact and the endpoint that cannot run', async () => {
    const incomplete = join(dir, 'incomplete.duckdb');
    await writeArtifact(incomplete, { label: 'i', withoutFlights: true });
    await assert.rejects(startServer(artifactManifest(incomplete), { port: 0, logger: recordingLogger().logger }), (err: Error) => {
      assert.ok(err instanceof ArtifactStartError);
      assert.match(err.message, new RegExp(`^cannot serve the artifact ${incomplete.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: endpoint GET /flights/:id \\(test\\.yaml\\) cannot run on it: Catalog Error: Table with name flights does not exist`));
      return true;
    });
  });

  it('fails fast on a declared read-only file that is not DuckDB', async () => {
    const garbage = join(dir, 'garbage.duckdb');
    writeFileSync(garbage, 'PAR1 this is a parquet file, honestly'.repeat(1000));
    const m = artifactManifest(garbage);
    await assert.rejects(
      createApp({ ...m, duckdb: { ...m.duckdb, settings: { access_mode: 'READ_ONLY' } } }),
      /cannot serve the artifact .*garbage\.duckdb: not a DuckDB file \(\d+ bytes, starts with a Parquet file\)/,
    );
  });
});

describe('ArtifactPoller', () => {
  it('runs one check at a time and backs off after failures', async () => {
    const delays: number[] = [];
    let running = 0;
    let overlapped = false;
    let calls = 0;
    const poller = new ArtifactPoller({
      intervalMs: 10,
      maxBackoffMs: 80,
      check: async () => {
        calls++;
        running++;
        overlapped ||= running > 1;
        await new Promise((r) => setTimeout(r, 5));
        running--;
        throw new Error('store down');
      },
      onError: (_err, retryInMs) => delays.push(retryInMs),
    });
    poller.start();
    await Promise.all([poller.checkNow(), poller.checkNow()]);
    await new Promise((r) => setTimeout(r, 400));
    await poller.stop();
    assert.equal(overlapped, false);
    assert.ok(calls >= 4, `${calls} checks`);
    assert.deepEqual(delays.slice(0, 4), [20, 40, 80, 80]);
  });
});
