import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ArtifactStartError, startServer, type StartedServer } from '../runtime/index.js';
import { artifactBytes, artifactManifest, recordingLogger } from './support/artifact-files.js';
import { startGcsServer, type GcsServer } from './support/gcs-server.js';

// The endpoint is given as a flapi setting here; the SDK's own variable would override it.
delete process.env['STORAGE_EMULATOR_HOST'];

const scratch = mkdtempSync(join(tmpdir(), 'flapi-artifact-gcs-'));
let gcs: GcsServer;
before(async () => {
  gcs = await startGcsServer();
});
after(async () => {
  await gcs.close();
  rmSync(scratch, { recursive: true, force: true });
});

const bytes = (label: string) => artifactBytes({ label }, join(scratch, `${label}.duckdb`));

async function label(url: string): Promise<string> {
  const res = await fetch(`${url}/which`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { label: string }[])[0]!.label;
}

describe('an artifact in Google Cloud Storage (a local GCS-compatible server)', () => {
  let server: StartedServer;
  const log = recordingLogger();

  before(async () => {
    gcs.put('data', 'nightly/flights.duckdb', await bytes('g1'));
    server = await startServer(artifactManifest('gs://data/nightly/flights.duckdb', { endpoint: gcs.url, pollIntervalMs: 0, downloadDir: scratch }), {
      port: 0, logger: log.logger,
    });
  });
  after(() => server.close());

  it('is downloaded with the SDK and served, named by its generation', async () => {
    assert.equal(await label(server.url), 'g1');
    const ready = (await (await fetch(`${server.url}/_flapi/ready`)).json()) as { artifact: Record<string, unknown> };
    assert.equal(ready.artifact['source'], 'gs://data/nightly/flights.duckdb');
    assert.equal(ready.artifact['version'], 'g1');
    assert.match(String(ready.artifact['etag']), /^generation:\d+$/);
    assert.ok(gcs.requests.some((r) => /^GET \/storage\/v1\/b\/data\/o\/nightly%2Fflights\.duckdb\?.*alt=media/.test(r)), gcs.requests.join('\n'));
  });

  it('polls by reading metadata only while the generation is unchanged', async () => {
    gcs.requests.length = 0;
    assert.equal(await server.artifact!.checkNow(), 'unchanged');
    assert.equal(gcs.requests.length, 1, gcs.requests.join('\n'));
    assert.doesNotMatch(gcs.requests[0]!, /alt=media/);
  });

  it('downloads a new generation pinned to that generation, and swaps to it', async () => {
    gcs.put('data', 'nightly/flights.duckdb', await bytes('g2'));
    gcs.requests.length = 0;
    assert.equal(await server.artifact!.checkNow(), 'swapped');
    assert.equal(await label(server.url), 'g2');
    assert.ok(gcs.requests.some((r) => /alt=media/.test(r) && /generation=\d+/.test(r)), gcs.requests.join('\n'));
  });

  it('rejects a new generation that is not a DuckDB file, and the old one keeps serving', async () => {
    log.lines.length = 0;
    gcs.put('data', 'nightly/flights.duckdb', Buffer.from('Not Found'));
    assert.equal(await server.artifact!.checkNow(), 'rejected');
    assert.match(log.lines.find((l) => l.level === 'error')?.message ?? '', /^artifact gs:\/\/data\/nightly\/flights\.duckdb \(ETag generation:\d+, 9 bytes\) rejected: not a DuckDB file \(9 bytes, starts with "Not Found"\); still serving version g2$/);
    assert.equal(await label(server.url), 'g2');
  });
});

describe('a cold start from GCS', () => {
  it('fails fast when the object does not exist', async () => {
    await assert.rejects(
      startServer(artifactManifest('gs://data/none.duckdb', { endpoint: gcs.url, downloadDir: scratch }), { port: 0, logger: recordingLogger().logger }),
      (err: Error) => {
        assert.ok(err instanceof ArtifactStartError);
        assert.equal(err.message, `cannot serve the artifact gs://data/none.duckdb: the object does not exist (endpoint ${gcs.url})`);
        return true;
      },
    );
  });
});
