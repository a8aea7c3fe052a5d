import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { projectDependencies } from '../cli/build/optional-packages.js';
import { importOptional, MissingPackageError } from '../runtime/optional-package.js';
import type { Manifest } from '../runtime/manifest.js';
import { endpoint, manifest } from './serve-fixture.js';

const RUNTIME = {
  '@aws-sdk/client-s3': '^3.1',
  '@duckdb/node-api': '1.5.5',
  '@google-cloud/storage': '^7.2',
  '@modelcontextprotocol/sdk': '^1.3',
  ioredis: '^6.0.0',
  jose: '^6.2',
  koa: '^3.3.0',
  pg: '^8.2',
  'pg-copy-streams': '^7.0.0',
};

const plain = (): Manifest => manifest([endpoint({ urlPath: '/rows', sql: 'SELECT 1' })]);

describe('the built project depends only on what its features use', () => {
  it('a DuckDB-only project gets no cloud SDK, driver, Redis, MCP or jose', () => {
    const { dependencies, omitted } = projectDependencies(RUNTIME, plain());
    assert.deepEqual(Object.keys(dependencies).sort(), ['@duckdb/node-api', 'koa']);
    assert.deepEqual(omitted.map((o) => o.feature), ['s3:// artifacts', 'gs:// artifacts', 'PostgreSQL cache sources', 'a Redis rate-limit store', 'JWT and OIDC authentication', 'MCP']);
    assert.deepEqual(omitted[2]!.packages, [{ name: 'pg', version: '^8.2' }, { name: 'pg-copy-streams', version: '^7.0.0' }]);
  });

  it('each feature brings its packages', () => {
    const m = plain();
    m.duckdb = { ...m.duckdb, dbPath: 's3://bucket/data.duckdb' };
    m.connections['pg'] = { name: 'pg', type: 'postgres', url: 'postgres://localhost/db', properties: {}, logQueries: false, logParameters: false };
    m.rateLimit = { enabled: true, max: 10, interval: 60, key: 'ip', store: { type: 'redis', url: { env: 'REDIS_URL' } } };
    m.endpoints[0]!.auth = { enabled: true, type: 'oidc', oidc: { issuerUrl: 'https://issuer.example' } } as Manifest['auth'];
    m.endpoints[0]!.mcp = { tool: { name: 'rows' } };
    const { dependencies, omitted } = projectDependencies(RUNTIME, m);
    assert.deepEqual(omitted.map((o) => o.feature), ['gs:// artifacts']);
    assert.equal(dependencies['@google-cloud/storage'], undefined);
    assert.equal(dependencies['@aws-sdk/client-s3'], '^3.1');
    const gs = plain();
    gs.duckdb = { ...gs.duckdb, dbPath: 'gs://bucket/data.duckdb' };
    assert.ok('@google-cloud/storage' in projectDependencies(RUNTIME, gs).dependencies);
  });

  it('a disabled auth block or MCP switched off brings nothing', () => {
    const m = plain();
    m.auth = { enabled: false, type: 'bearer' };
    m.mcp = { enabled: false, path: '/mcp' };
    m.endpoints[0]!.mcp = { tool: { name: 'rows' } };
    const { dependencies } = projectDependencies(RUNTIME, m);
    assert.equal(dependencies['jose'], undefined);
    assert.equal(dependencies['@modelcontextprotocol/sdk'], undefined);
  });
});

describe('a left-out package at run time', () => {
  it('is named, with the feature that needs it and how to install it', async () => {
    const specifier = 'flapi-test-no-such-package';
    await assert.rejects(importOptional(() => import(specifier), specifier, 's3:// artifacts'), (err: Error) => {
      assert.ok(err instanceof MissingPackageError);
      assert.match(err.message, /^s3:\/\/ artifacts needs the npm package flapi-test-no-such-package, which is not installed here .*run `npm install flapi-test-no-such-package` in the server's folder/);
      return true;
    });
  });

  it('other failures pass through unchanged', async () => {
    const broken = 'data:text/javascript,throw new Error("broken module")';
    await assert.rejects(importOptional(() => import(broken), 'pg', 'PostgreSQL cache sources'), /^Error: broken module$/);
  });
});
