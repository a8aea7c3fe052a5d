import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLambdaHandler, lambdaDefaults, type LambdaHandler } from '../runtime/adapters/aws-lambda/index.js';
import { applyEnvironment, createApp, type FlapiApp, type Manifest } from '../runtime/index.js';
import { artifactBytes, artifactManifest, recordingLogger } from './support/artifact-files.js';
import { v2Event } from './support/lambda-events.js';
import { S3RVER_CREDENTIALS, startS3Server, type S3Server } from './support/s3-server.js';

process.env['AWS_ACCESS_KEY_ID'] = S3RVER_CREDENTIALS.accessKeyId;
process.env['AWS_SECRET_ACCESS_KEY'] = S3RVER_CREDENTIALS.secretAccessKey;

const scratch = mkdtempSync(join(tmpdir(), 'flapi-artifact-lambda-'));
const downloads = join(scratch, 'tmp');
let s3: S3Server;
before(async () => {
  mkdirSync(downloads);
  s3 = await startS3Server();
});
after(async () => {
  await s3.close();
  rmSync(scratch, { recursive: true, force: true });
});

const bytes = (label: string) => artifactBytes({ label }, join(scratch, `${label}.duckdb`));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function which(handler: LambdaHandler): Promise<string> {
  const result = await handler(v2Event({ method: 'GET', path: '/which' }));
  assert.equal(result.statusCode, 200, result.body);
  return (JSON.parse(result.body) as { label: string }[])[0]!.label;
}

/** What generated `src/lambda.ts` does, with the deployment's environment. */
function lambdaFor(manifest: Manifest, env: Record<string, string>, apps: FlapiApp[]): LambdaHandler {
  const configured = lambdaDefaults(applyEnvironment(manifest, env), downloads);
  return createLambdaHandler(async () => {
    const app = await createApp(configured, { logger: recordingLogger().logger, env });
    apps.push(app);
    return app;
  }, { env });
}

describe('the Lambda handler on an artifact in S3', () => {
  it('loads it once per container and looks for a new version at most once per poll interval', async () => {
    await s3.put('lambda.duckdb', await bytes('λ1'));
    const apps: FlapiApp[] = [];
    const env = { FLAPI_DATABASE: `s3://${s3.bucket}/lambda.duckdb`, AWS_ENDPOINT_URL: s3.endpoint, FLAPI_ARTIFACT_POLL_INTERVAL: '1500ms', FLAPI_ARTIFACT_DIR: downloads };
    const handler = lambdaFor(artifactManifest('/not/used.duckdb'), env, apps);
    try {
      s3.requests.length = 0;
      assert.equal(await which(handler), 'λ1');
      assert.equal(await which(handler), 'λ1');
      assert.deepEqual(s3.requests.map((r) => `${r.method} ${r.status}`), ['GET 206'], 'one download for the container (its first part holds all of a small artifact)');

      await s3.put('lambda.duckdb', await bytes('λ2'));
      s3.requests.length = 0;
      assert.equal(await which(handler), 'λ1', 'within the interval the loaded version answers');
      assert.equal(s3.requests.length, 0, 'and the store is not asked');

      await sleep(1600);
      assert.equal(await which(handler), 'λ2', 'after the interval the new version answers');
      assert.deepEqual(s3.requests.map((r) => `${r.method} ${r.status}`), ['GET 206']);
      assert.equal(apps.length, 1, 'the container created its app once');

      await sleep(1600);
      s3.requests.length = 0;
      assert.equal(await which(handler), 'λ2');
      assert.deepEqual(s3.requests.map((r) => `${r.method} ${r.status}`), ['GET 304'], 'an unchanged artifact costs a 304');
    } finally {
      for (const app of apps) await app.close();
    }
  });

  it('fails the invocation with the reason when the artifact cannot be loaded, and retries on the next', async () => {
    const apps: FlapiApp[] = [];
    const env = { FLAPI_DATABASE: `s3://${s3.bucket}/later.duckdb`, AWS_ENDPOINT_URL: s3.endpoint, FLAPI_ARTIFACT_DIR: downloads };
    const handler = lambdaFor(artifactManifest('/not/used.duckdb'), env, apps);
    await assert.rejects(handler(v2Event({ method: 'GET', path: '/which' })),
      new RegExp(`^ArtifactStartError: cannot serve the artifact s3://${s3.bucket}/later\\.duckdb: the object does not exist \\(endpoint ${s3.endpoint}\\) \\(NoSuchKey\\)$`));
    await s3.put('later.duckdb', await bytes('late'));
    try {
      assert.equal(await which(handler), 'late');
    } finally {
      for (const app of apps) await app.close();
    }
  });
});
