import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ArtifactStartError, startServer, type StartedServer } from '../runtime/index.js';
import { artifactBytes, artifactManifest, recordingLogger } from './support/artifact-files.js';
import { S3RVER_CREDENTIALS, startS3Server, type S3Server } from './support/s3-server.js';

// The SDK's default credential chain reads these, as it would on a developer machine.
process.env['AWS_ACCESS_KEY_ID'] = S3RVER_CREDENTIALS.accessKeyId;
process.env['AWS_SECRET_ACCESS_KEY'] = S3RVER_CREDENTIALS.secretAccessKey;
process.env['AWS_REGION'] = 'us-east-1';

const scratch = mkdtempSync(join(tmpdir(), 'flapi-artifact-s3-'));
const downloads = join(scratch, 'downloads');
let s3: S3Server;
before(async () => {
  s3 = await startS3Server();
  const { mkdirSync } = await import('node:fs');
  mkdirSync(downloads);
});
after(async () => {
  await s3.close();
  rmSync(scratch, { recursive: true, force: true });
});

const bytes = (label: string, rows?: number) => artifactBytes({ label, ...(rows ? { rows } : {}) }, join(scratch, `${label}.duckdb`));

async function label(url: string): Promise<string> {
  const res = await fetch(`${url}/which`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { label: string }[])[0]!.label;
}

describe('an artifact in an S3-compatible store', () => {
  let server: StartedServer;
  const log = recordingLogger();

  before(async () => {
    await s3.put('flights.duckdb', await bytes('s1'));
    // The endpoint comes from AWS_ENDPOINT_URL, as the SDKs read it.
    server = await startServer(artifactManifest(`s3://${s3.bucket}/flights.duckdb`, { pollIntervalMs: 0, downloadDir: downloads }), {
      port: 0, logger: log.logger, env: { ...process.env, AWS_ENDPOINT_URL: s3.endpoint },
    });
  });
  after(async () => {
    await server.close();
    assert.deepEqual(readdirSync(downloads), [], 'downloads are deleted on close');
  });

  it('is downloaded at start and served; /_flapi/ready names the version and ETag', async () => {
    assert.equal(await label(server.url), 's1');
    const ready = (await (await fetch(`${server.url}/_flapi/ready`)).json()) as { artifact: Record<string, unknown> };
    assert.equal(ready.artifact['source'], `s3://${s3.bucket}/flights.duckdb`);
    assert.equal(ready.artifact['version'], 's1');
    assert.match(String(ready.artifact['etag']), /^"[0-9a-f]{32}"$/);
  });

  it('polls with a conditional GET that costs a 304 while nothing changed', async () => {
    s3.requests.length = 0;
    assert.equal(await server.artifact!.checkNow(), 'unchanged');
    assert.equal(s3.requests.length, 1);
    assert.equal(s3.requests[0]!.status, 304);
    assert.match(s3.requests[0]!.ifNoneMatch ?? '', /^"[0-9a-f]{32}"$/);
  });

  it('swaps to an uploaded version, and rejects an uploaded garbage file while the old one serves', async () => {
    await s3.put('flights.duckdb', await bytes('s2'));
    assert.equal(await server.artifact!.checkNow(), 'swapped');
    assert.equal(await label(server.url), 's2');

    log.lines.length = 0;
    await s3.put('flights.duckdb', Buffer.from('{"error":"this is not the artifact"}\n'.repeat(100)));
    assert.equal(await server.artifact!.checkNow(), 'rejected');
    const error = log.lines.find((l) => l.level === 'error')?.message ?? '';
    assert.match(error, new RegExp(`^artifact s3://${s3.bucket}/flights\\.duckdb \\(ETag "[0-9a-f]+", 3700 bytes\\) rejected: not a DuckDB file .*; still serving version s2$`));
    assert.equal(await label(server.url), 's2');
    // Only the two live versions' files remain: the rejected download is gone.
    const held = readdirSync(downloads).flatMap((d) => readdirSync(join(downloads, d)));
    assert.equal(held.length, 1, `files held: ${held.join(', ')}`);
  });
});

describe('a cold start from S3', () => {
  it('fails fast when the object is missing, naming the bucket, key and endpoint', async () => {
    await assert.rejects(
      startServer(artifactManifest(`s3://${s3.bucket}/missing.duckdb`, { endpoint: s3.endpoint, downloadDir: downloads }), { port: 0, logger: recordingLogger().logger }),
      (err: Error) => {
        assert.ok(err instanceof ArtifactStartError);
        assert.equal(err.message, `cannot serve the artifact s3://${s3.bucket}/missing.duckdb: the object does not exist (endpoint ${s3.endpoint}) (NoSuchKey)`);
        return true;
      },
    );
  });

  it('fails fast when the credentials are refused', async () => {
    await s3.put('flights.duckdb', await bytes('c1'));
    const saved = process.env['AWS_ACCESS_KEY_ID'];
    process.env['AWS_ACCESS_KEY_ID'] = 'NOT-A-KEY';
    try {
      await assert.rejects(
        startServer(artifactManifest(`s3://${s3.bucket}/flights.duckdb`, { endpoint: s3.endpoint, downloadDir: downloads }), { port: 0, logger: recordingLogger().logger }),
        new RegExp(`^ArtifactStartError: cannot serve the artifact s3://${s3.bucket}/flights\\.duckdb: access denied \\(endpoint ${s3.endpoint}\\) \\(InvalidAccessKeyId\\): check the credentials`),
      );
    } finally {
      process.env['AWS_ACCESS_KEY_ID'] = saved;
    }
  });
});

describe('swapping under load', () => {
  it('serves every request during 10 swaps, and answers change within the poll interval', async () => {
    const key = 'load.duckdb';
    const versions = Array.from({ length: 11 }, (_, i) => `L${i}`);
    const files = await Promise.all(versions.map((v, i) => bytes(v, 30 + i)));
    await s3.put(key, files[0]!);
    const log = recordingLogger();
    const server = await startServer(artifactManifest(`s3://${s3.bucket}/${key}`, { endpoint: s3.endpoint, pollIntervalMs: 150, downloadDir: downloads }), {
      port: 0, logger: log.logger,
    });
    const failures: string[] = [];
    const seen = new Set<string>();
    let requests = 0;
    let stop = false;
    const client = async (n: number): Promise<void> => {
      let i = n;
      while (!stop) {
        i = (i % 30) + 1;
        try {
          const path = i % 2 === 0 ? '/which' : `/flights/${i}`;
          const res = await fetch(`${server.url}${path}`);
          const body = (await res.json()) as { label: string }[];
          requests++;
          if (res.status !== 200 || body.length !== 1 || !versions.includes(body[0]!.label)) failures.push(`${path}: ${res.status} ${JSON.stringify(body)}`);
          else seen.add(body[0]!.label);
        } catch (err) {
          failures.push(String(err));
        }
      }
    };
    const clients = Array.from({ length: 6 }, (_, n) => client(n));
    const lags: number[] = [];
    try {
      for (let v = 1; v < versions.length; v++) {
        await s3.put(key, files[v]!);
        const uploaded = Date.now();
        while ((await label(server.url)) !== versions[v]) {
          if (Date.now() - uploaded > 10_000) {
            throw new Error(`${versions[v]} not served 10 s after upload; log:\n${log.lines.map((l) => `${l.level} ${l.message}`).join('\n')}`);
          }
          await new Promise((r) => setTimeout(r, 20));
        }
        lags.push(Date.now() - uploaded);
      }
    } finally {
      stop = true;
      await Promise.all(clients);
      await server.close();
    }
    assert.deepEqual(failures, []);
    assert.equal(seen.size, versions.length, `versions answered: ${[...seen].join(', ')}`);
    assert.ok(requests > 200, `${requests} requests during the swaps`);
    assert.equal(log.lines.filter((l) => l.message.includes('now serving version')).length, 10);
    // Each swap lands within a poll interval plus a download, a check and an app (generous: the machine is shared).
    const sorted = [...lags].sort((a, b) => a - b);
    assert.ok(sorted[5]! < 3000 && sorted[9]! < 9000, `lags ${lags.join(', ')} ms`);
  });
});
