import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { compileProject } from '../cli/compile-project.js';
import { resolveArtifactSettings } from '../runtime/index.js';
import { tempProject } from './support/cache-project.js';

const endpointFiles = {
  'sqls/one.yaml': 'url-path: /one\ntemplate-source: one.sql\nconnection: [db]\n',
  'sqls/one.sql': 'SELECT 1 AS one',
};

describe('duckdb.artifact and FLAPI_DATABASE in flapi.yaml', () => {
  it('compiles the artifact block into the manifest', async () => {
    const p = tempProject({
      'flapi.yaml': [
        'project-name: a', 'template:\n  path: ./sqls', 'connections:\n  db:\n    properties: {}',
        'duckdb:\n  db_path: s3://bucket/a.duckdb\n  threads: 2\n  artifact:\n    endpoint: http://127.0.0.1:9000\n    region: eu-west-1\n    force-path-style: false\n    poll-interval: 30s\n    download-dir: ./downloads',
      ].join('\n'),
      ...endpointFiles,
    }, 'flapi-artifact-config-');
    try {
      const result = await compileProject({ dir: p.dir, env: {} });
      assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), []);
      const duckdb = result.manifest!.duckdb;
      assert.equal(duckdb.dbPath, 's3://bucket/a.duckdb');
      assert.deepEqual(duckdb.settings, { threads: 2 }, 'the artifact block is not a DuckDB setting');
      assert.deepEqual(duckdb.artifact, { endpoint: 'http://127.0.0.1:9000', region: 'eu-west-1', forcePathStyle: false, pollIntervalMs: 30_000, downloadDir: './downloads' });
      assert.equal(resolveArtifactSettings(result.manifest!, {}).downloadDir, resolve(p.dir, 'downloads'), 'resolved against the project at run time');
    } finally {
      p.remove();
    }
  });

  it('reports a misspelt key and an unreadable poll interval', async () => {
    const p = tempProject({
      'flapi.yaml': 'project-name: a\ntemplate:\n  path: ./sqls\nconnections:\n  db:\n    properties: {}\nduckdb:\n  artifact:\n    endpont: http://x\n    poll-interval: soon\n',
      ...endpointFiles,
    }, 'flapi-artifact-config-');
    try {
      const result = await compileProject({ dir: p.dir, env: {} });
      const messages = result.diagnostics.map((d) => `${d.severity} ${d.line} ${d.message}`).join('\n');
      assert.match(messages, /endpont.*endpoint/);
      assert.match(messages, /^error 10 .*poll-interval/m);
    } finally {
      p.remove();
    }
  });

  it('takes FLAPI_DATABASE over db_path (a relative path against the working directory)', async () => {
    const p = tempProject({ 'flapi.yaml': 'project-name: a\ntemplate:\n  path: ./sqls\nconnections:\n  db:\n    properties: {}\nduckdb:\n  db_path: ./local.duckdb\n', ...endpointFiles }, 'flapi-artifact-config-');
    try {
      const remote = await compileProject({ dir: p.dir, env: { FLAPI_DATABASE: 'gs://b/a.duckdb' } });
      assert.equal(remote.manifest!.duckdb.dbPath, 'gs://b/a.duckdb');
      const local = await compileProject({ dir: p.dir, env: { FLAPI_DATABASE: 'data/a.duckdb' } });
      assert.equal(local.manifest!.duckdb.dbPath, resolve('data/a.duckdb'));
    } finally {
      p.remove();
    }
  });
});

describe('resolveArtifactSettings', () => {
  const base = { dbPath: 's3://b/k', settings: {}, artifact: { endpoint: 'http://file', pollIntervalMs: 5000 } };
  const m = (duckdb: object) => ({ duckdb }) as Parameters<typeof resolveArtifactSettings>[0];

  it('lets the environment win over the file, and the SDK variables fill in', () => {
    assert.deepEqual(resolveArtifactSettings(m(base), { FLAPI_ARTIFACT_DIR: '/dl' }), {
      endpoint: 'http://file', forcePathStyle: true, pollIntervalMs: 5000, downloadDir: '/dl', partSize: 8 * 1024 * 1024, parts: 4 });
    const env = resolveArtifactSettings(m(base), { FLAPI_ARTIFACT_ENDPOINT: 'http://env', FLAPI_ARTIFACT_POLL_INTERVAL: '2m', AWS_REGION: 'eu-north-1', FLAPI_ARTIFACT_DIR: '/dl' });
    assert.deepEqual(env, { endpoint: 'http://env', region: 'eu-north-1', forcePathStyle: true, pollIntervalMs: 120_000, downloadDir: '/dl', partSize: 8 * 1024 * 1024, parts: 4 });
    const sdk = resolveArtifactSettings(m({ dbPath: 's3://b/k', settings: {} }), { AWS_ENDPOINT_URL: 'http://minio:9000', FLAPI_ARTIFACT_DIR: '/dl' });
    assert.equal(sdk.endpoint, 'http://minio:9000');
    assert.equal(sdk.pollIntervalMs, 60_000);
    const gcs = resolveArtifactSettings(m({ dbPath: 'gs://b/k', settings: {} }), { AWS_ENDPOINT_URL: 'http://minio:9000', STORAGE_EMULATOR_HOST: 'http://gcs:4443' });
    assert.equal(gcs.endpoint, 'http://gcs:4443', 'a gs:// path reads the GCS variable, not the AWS one');
    const aws = resolveArtifactSettings(m({ dbPath: 's3://b/k', settings: {} }), {});
    assert.equal(aws.endpoint, undefined);
    assert.equal(aws.forcePathStyle, false, 'virtual-hosted style on AWS itself');
  });

  it('reads the download part size and count from the environment, ignoring values it cannot use', () => {
    const parts = (env: Record<string, string>) => {
      const { partSize, parts: count } = resolveArtifactSettings(m(base), env);
      return [partSize, count];
    };
    assert.deepEqual(parts({ FLAPI_ARTIFACT_PART_SIZE: '16MiB', FLAPI_ARTIFACT_PARTS: '8' }), [16 * 1024 * 1024, 8]);
    assert.deepEqual(parts({ FLAPI_ARTIFACT_PART_SIZE: '256k', FLAPI_ARTIFACT_PARTS: '1' }), [256 * 1024, 1]);
    assert.deepEqual(parts({ FLAPI_ARTIFACT_PART_SIZE: '1048576' }), [1024 * 1024, 4]);
    assert.deepEqual(parts({ FLAPI_ARTIFACT_PART_SIZE: '1k', FLAPI_ARTIFACT_PARTS: '0' }), [8 * 1024 * 1024, 4], 'below 64 KiB, or no parts at all');
    assert.deepEqual(parts({ FLAPI_ARTIFACT_PART_SIZE: 'big', FLAPI_ARTIFACT_PARTS: 'many' }), [8 * 1024 * 1024, 4]);
  });
});
