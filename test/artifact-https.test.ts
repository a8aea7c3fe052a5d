import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ArtifactStartError, startServer, type StartedServer } from '../runtime/index.js';
import { artifactBytes, artifactManifest, recordingLogger } from './support/artifact-files.js';
import { selfSignedCertificate, startFileServer, type FileServer } from './support/https-server.js';

const scratch = mkdtempSync(join(tmpdir(), 'flapi-artifact-https-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const bytes = (label: string) => artifactBytes({ label }, join(scratch, `${label}.duckdb`));

async function label(url: string): Promise<string> {
  const res = await fetch(`${url}/which`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { label: string }[])[0]!.label;
}

describe('an artifact behind an HTTP URL', () => {
  let files: FileServer;
  let server: StartedServer;
  const log = recordingLogger();

  before(async () => {
    files = await startFileServer();
    files.put('/a.duckdb', await bytes('h1'));
    files.put('/plain.duckdb', await bytes('p1'), { etag: false });
    server = await startServer(artifactManifest(`${files.url}/a.duckdb?token=secret`, { pollIntervalMs: 0, downloadDir: scratch }), { port: 0, logger: log.logger });
  });
  after(async () => {
    await server.close();
    await files.close();
  });

  it('is fetched and served; the query string (a signature) never shows', async () => {
    assert.equal(await label(server.url), 'h1');
    const ready = (await (await fetch(`${server.url}/_flapi/ready`)).json()) as { artifact: Record<string, unknown> };
    assert.equal(ready.artifact['source'], `${files.url}/a.duckdb`);
  });

  it('polls with If-None-Match, swaps on a new ETag', async () => {
    files.requests.length = 0;
    assert.equal(await server.artifact!.checkNow(), 'unchanged');
    assert.equal(files.requests[0]?.status, 304);
    assert.match(files.requests[0]?.ifNoneMatch ?? '', /^"[0-9a-f]{40}"$/);
    files.put('/a.duckdb', await bytes('h2'));
    assert.equal(await server.artifact!.checkNow(), 'swapped');
    assert.equal(await label(server.url), 'h2');
  });

  it('keeps serving when a transfer is cut short, and says so', async () => {
    log.lines.length = 0;
    const next = await bytes('h3');
    files.put('/a.duckdb', next, { cutAt: 100_000 });
    assert.equal(await server.artifact!.checkNow(), 'failed');
    assert.match(log.lines.find((l) => l.level === 'warn')?.message ?? '',
      /^artifact http:\/\/127\.0\.0\.1:\d+\/a\.duckdb: looking for a new version failed \(download interrupted after 100000 bytes: .*\); retrying in .*; still serving version h2$/);
    assert.equal(await label(server.url), 'h2');
    files.put('/a.duckdb', next);
    assert.equal(await server.artifact!.checkNow(), 'swapped');
    assert.equal(await label(server.url), 'h3');
  });

  it('uses If-Modified-Since when the server gives no ETag', async () => {
    const s = await startServer(artifactManifest(`${files.url}/plain.duckdb`, { pollIntervalMs: 0, downloadDir: scratch }), { port: 0, logger: recordingLogger().logger });
    try {
      files.requests.length = 0;
      assert.equal(await s.artifact!.checkNow(), 'unchanged');
      assert.equal(files.requests[0]?.status, 304);
      assert.match(files.requests[0]?.ifModifiedSince ?? '', /GMT$/);
    } finally {
      await s.close();
    }
  });

  it('names a version by its content when the server gives no validators, and swaps only when it changes', async () => {
    files.put('/bare.duckdb', await bytes('b1'), { validators: false });
    const s = await startServer(artifactManifest(`${files.url}/bare.duckdb`, { pollIntervalMs: 0, downloadDir: scratch }), { port: 0, logger: recordingLogger().logger });
    try {
      assert.match(s.artifact!.current.etag ?? '', /^sha256:[0-9a-f]{64}$/);
      assert.equal(await s.artifact!.checkNow(), 'unchanged', 'downloaded again, recognised as the same');
      files.put('/bare.duckdb', await bytes('b2'), { validators: false });
      assert.equal(await s.artifact!.checkNow(), 'swapped');
      assert.equal(await label(s.url), 'b2');
    } finally {
      await s.close();
    }
  });

  it('fails a cold start on a 404 with the URL and status', async () => {
    await assert.rejects(startServer(artifactManifest(`${files.url}/none.duckdb`, { downloadDir: scratch }), { port: 0, logger: recordingLogger().logger }), (err: Error) => {
      assert.ok(err instanceof ArtifactStartError);
      assert.equal(err.message, `cannot serve the artifact ${files.url}/none.duckdb: ${files.url}/none.duckdb answered 404 Not Found`);
      return true;
    });
  });
});

/** Starts the child server; resolves with its URL, or with its exit code and stderr. */
function serveInChild(manifestFile: string, env: Record<string, string | undefined>): Promise<{ url?: string; code?: number | null; stderr: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/serve-with-env.ts', manifestFile], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve({ url: (JSON.parse(line!) as { url: string }).url, stderr, stop });
    });
    void exited.then((code) => resolve({ code, stderr, stop }));
  });
}

describe('an artifact behind an HTTPS URL with a self-signed certificate', () => {
  let files: FileServer;
  let cert: string;
  let manifestFile: string;

  before(async () => {
    const tls = selfSignedCertificate(scratch);
    cert = tls.cert;
    files = await startFileServer(tls);
    files.put('/a.duckdb', await bytes('t1'));
    manifestFile = join(scratch, 'manifest.json');
    writeFileSync(manifestFile, JSON.stringify(artifactManifest(`${files.url}/a.duckdb`, { pollIntervalMs: 200, downloadDir: scratch })));
  });
  after(() => files.close());

  it('is served when Node trusts the certificate (NODE_EXTRA_CA_CERTS), and follows new versions', async () => {
    const child = await serveInChild(manifestFile, { NODE_EXTRA_CA_CERTS: cert, FLAPI_LOG_LEVEL: 'error' });
    try {
      assert.ok(child.url, `the server did not start: ${child.stderr}`);
      assert.equal(await label(child.url), 't1');
      files.put('/a.duckdb', await bytes('t2'));
      const started = Date.now();
      while ((await label(child.url)) !== 't2') {
        assert.ok(Date.now() - started < 5000, 'the new version is served within a few poll intervals');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await child.stop();
    }
  });

  it('fails fast without that trust, saying the certificate is the problem', async () => {
    const child = await serveInChild(manifestFile, { NODE_EXTRA_CA_CERTS: undefined });
    await child.stop();
    assert.equal(child.code, 1);
    assert.match(child.stderr, new RegExp(`^cannot serve the artifact ${files.url.replace(/\./g, '\\.')}/a\\.duckdb: cannot reach .*: (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)`));
  });
});
