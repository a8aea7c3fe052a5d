import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { applyEnvironment, loadManifest, routeDifferences, verifyRoutes, type RouteDescriptor } from '../runtime/index.js';
import { endpoint, manifest } from './serve-fixture.js';

// What a built project's entry points (src/server.ts, src/lambda.ts) do before serving.
const m = manifest([
  endpoint({
    urlPath: '/flights/:id',
    sql: 'SELECT 1',
    params: [{ name: 'id', in: 'path', required: true, validators: [{ type: 'int' }] }],
  }),
  endpoint({ urlPath: '/pages', pagination: true, sql: 'SELECT 1' }),
]);

describe('applyEnvironment', () => {
  it('takes FLAPI_PORT over PORT over the manifest, and FLAPI_HOST, FLAPI_DATABASE', () => {
    assert.equal(applyEnvironment(m, {}).server.port, 0);
    assert.equal(applyEnvironment(m, { PORT: '9000' }).server.port, 9000);
    assert.equal(applyEnvironment(m, { PORT: '9000', FLAPI_PORT: '9100' }).server.port, 9100);
    const applied = applyEnvironment(m, { FLAPI_HOST: '0.0.0.0', FLAPI_DATABASE: 's3://bucket/flights.duckdb' });
    assert.equal(applied.server.host, '0.0.0.0');
    assert.equal(applied.duckdb.dbPath, 's3://bucket/flights.duckdb');
    assert.equal(m.server.host, '127.0.0.1', 'the given manifest is not changed');
    assert.equal(m.duckdb.dbPath, undefined);
  });

  it('refuses a port that is not a number', () => {
    assert.throws(() => applyEnvironment(m, { PORT: '80a' }), /PORT must be a port number/);
    assert.throws(() => applyEnvironment(m, { FLAPI_PORT: '70000' }), /FLAPI_PORT/);
  });
});

describe('loadManifest', () => {
  it('resolves relative data paths against the manifest folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flapi-manifest-'));
    try {
      const portable = {
        ...m,
        server: { ...m.server, tls: { certFile: './tls/cert.pem', keyFile: '/etc/keys/key.pem' } },
        duckdb: { ...m.duckdb, dbPath: './data/cache.duckdb' },
        connections: { main: { ...m.connections['main']!, properties: { flights: './data/flights.parquet', name: 'x', far: '../up.csv', n: 3 } } },
      };
      const file = join(dir, 'manifest.json');
      writeFileSync(file, JSON.stringify(portable));
      for (const loaded of [loadManifest(file), loadManifest(pathToFileURL(file))]) {
        assert.deepEqual(loaded.connections['main']!.properties, {
          flights: join(dir, 'data', 'flights.parquet'),
          name: 'x',
          far: join(dir, '..', 'up.csv'),
          n: 3,
        });
        assert.equal(loaded.duckdb.dbPath, join(dir, 'data', 'cache.duckdb'));
        assert.equal(loaded.project.root, dir);
        assert.deepEqual(loaded.server.tls, { certFile: join(dir, 'tls', 'cert.pem'), keyFile: '/etc/keys/key.pem' });
      }
      writeFileSync(file, JSON.stringify({ ...portable, duckdb: { settings: {}, dbPath: 'https://example.com/a.duckdb' } }));
      assert.equal(loadManifest(file).duckdb.dbPath, 'https://example.com/a.duckdb');
      writeFileSync(file, JSON.stringify({ ...portable, manifestVersion: 99 }));
      assert.throws(() => loadManifest(file), /manifest version 99 is not supported/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('verifyRoutes', () => {
  const routes: RouteDescriptor[] = [
    { name: '_flights_id', method: 'GET', path: '/flights/:id', pagination: false, params: [{ name: 'id', in: 'path', required: true }] },
    { name: '_pages', method: 'GET', path: '/pages', pagination: true, params: [] },
  ];

  it('accepts the routes the manifest was generated with', () => {
    assert.deepEqual(routeDifferences(m, routes), []);
    verifyRoutes(m, routes);
  });

  it('names every difference', () => {
    const changed: RouteDescriptor[] = [
      { ...routes[0]!, params: [{ name: 'id', in: 'query', required: true }] },
      { name: 'gone', method: 'GET', path: '/gone', pagination: false, params: [] },
    ];
    assert.deepEqual(routeDifferences(m, changed), [
      '_flights_id: parameters differ (generated id:query!, manifest id:path!)',
      'gone: generated, but not in the manifest',
      '_pages: in the manifest, but no types were generated for it',
    ]);
    assert.throws(() => verifyRoutes(m, changed), /rebuild with `flapi build`/);
  });
});
