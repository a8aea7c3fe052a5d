import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileProject } from '../cli/compile-project.js';
import { endpointNameFromRoute } from '../cli/config/endpoint-name.js';
import { suggestKey } from '../cli/diagnostics/suggest.js';

const FLAPI_SYNTAX = resolve('test/fixtures/flapi-syntax');

test('a project in flAPI syntax (includes, env, request/validators, cache) loads unchanged', async () => {
  const result = await compileProject({ dir: FLAPI_SYNTAX, env: { SHOP_REGION: 'EU', SHOP_AUTH: '1' } });
  // Only the notes on where flapi is stricter than flAPI (global auth on endpoints, a rate-limit block without enabled:).
  assert.deepEqual(result.diagnostics.map((d) => [d.severity, d.code]), [['warning', 'flapi-global-auth'], ['warning', 'flapi-enabled-default']]);
  const manifest = result.manifest!;
  assert.equal(manifest.project.name, 'shop');
  assert.equal(manifest.project.serverName, 'shop-api');
  assert.equal(manifest.server.port, 8090);
  assert.deepEqual(manifest.connections.shop!.properties, { region: 'EU', exports: join(FLAPI_SYNTAX, 'exports') });
  assert.equal(manifest.connections.shop!.logQueries, true);
  assert.equal(manifest.duckdb.dbPath, join(FLAPI_SYNTAX, 'shop.duckdb'));
  assert.deepEqual(manifest.duckdb.settings, { threads: 2 });
  assert.deepEqual(manifest.rateLimit, { enabled: true, max: 50, interval: 60, key: 'ip' });
  assert.equal(manifest.auth?.type, 'basic', 'included because SHOP_AUTH is set');
  assert.deepEqual(manifest.auth?.users, [{ username: 'admin', password: { value: 'pbkdf2$sha256$1000$c2FsdA$aGFzaA' }, roles: ['admin'] }]);

  const byName = Object.fromEntries(manifest.endpoints.map((e) => [e.name, e]));
  assert.deepEqual(Object.keys(byName).sort(), ['customer_by_id', 'get_regions_region_customers'], 'the included fragment is not an endpoint');
  const customer = byName.customer_by_id!;
  assert.equal(customer.method, 'GET');
  assert.equal(customer.template.file, join('sqls', 'customers.sql'));
  assert.match(customer.template.sql, /WHERE id = \{\{params.id\}\}/);
  assert.deepEqual(customer.params, [{ name: 'id', in: 'path', description: 'Customer id', required: true, validators: [{ type: 'int', min: 1 }] }]);
  assert.deepEqual(customer.columns.map((c) => [c.name, c.type]), [['id', 'INTEGER'], ['name', 'VARCHAR'], ['region', 'VARCHAR']]);
  assert.equal(customer.mcp?.tool?.maxRows, 1);

  const regional = byName.get_regions_region_customers!;
  assert.deepEqual(regional.connection, ['shop'], 'a connection given as a string becomes a list');
  assert.equal(regional.cache?.mode, 'merge');
  assert.equal(regional.cache?.template?.file, join('sqls', 'customers-cache.sql'));
  assert.deepEqual(regional.rateLimit, { enabled: true, max: 10, interval: 60, key: 'ip' });
  assert.deepEqual(regional.columns.map((c) => c.name), ['id', 'name'], 'dry-run read the cache table built from the cache template');

  assert.ok(result.files.includes(join(FLAPI_SYNTAX, 'config', 'connections.yaml')));
  assert.ok(result.files.includes(join(FLAPI_SYNTAX, 'sqls', 'common', 'customer-request.yaml')));
});

test('a conditional include is skipped when its variable is unset', async () => {
  const result = await compileProject({ dir: FLAPI_SYNTAX, env: {}, dryRun: false });
  assert.equal(result.manifest?.auth, undefined);
  assert.equal(result.manifest?.connections.shop!.properties.region, '');
});

test('server settings: defaults, then the file, then FLAPI_PORT / FLAPI_HOST', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flapi-config-'));
  try {
    mkdirSync(join(dir, 'sqls'));
    writeFileSync(join(dir, 'flapi.yaml'), 'project-name: p\n');
    const defaults = (await compileProject({ dir, env: {} })).manifest!.server;
    assert.deepEqual(defaults, { port: 8080, host: '127.0.0.1', enforceHttps: false, maxLimit: 1000, defaultLimit: 100,
      bodyLimit: 1048576, requestTimeoutMs: 30000, poolSize: 0, responseCacheBytes: 67108864 });
    writeFileSync(join(dir, 'flapi.yaml'), 'project-name: p\nhttp-port: 9000\nhttp-host: 0.0.0.0\n');
    assert.deepEqual(pick((await compileProject({ dir, env: {} })).manifest!.server), [9000, '0.0.0.0']);
    assert.deepEqual(pick((await compileProject({ dir, env: { FLAPI_PORT: '9100', FLAPI_HOST: '::1' } })).manifest!.server), [9100, '::1']);
    assert.equal((await compileProject({ dir: '/nonexistent', env: { FLAPI_CONFIG: join(dir, 'flapi.yaml') } })).manifest?.server.port, 9000,
      'FLAPI_CONFIG names the config file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function pick(server: { port: number; host: string }): [number, string] {
  return [server.port, server.host];
}

test('paths never depend on the working directory', async () => {
  const cwd = process.cwd();
  process.chdir(tmpdir());
  try {
    const result = await compileProject({ dir: FLAPI_SYNTAX, env: {}, dryRun: false });
    assert.equal(result.manifest?.duckdb.dbPath, join(FLAPI_SYNTAX, 'shop.duckdb'));
    assert.equal(result.manifest?.connections.shop!.properties.exports, join(FLAPI_SYNTAX, 'exports'));
    assert.equal(result.manifest?.endpoints.length, 2);
  } finally {
    process.chdir(cwd);
  }
});

test('rate-limit is accepted with either spelling in flapi.yaml', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flapi-config-'));
  try {
    mkdirSync(join(dir, 'sqls'));
    writeFileSync(join(dir, 'flapi.yaml'), 'rate-limit:\n  max: 5\n  interval: 10s\n  key: user\n');
    const result = await compileProject({ dir, env: {} });
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(result.manifest?.rateLimit, { enabled: true, max: 5, interval: 10, key: 'user' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('endpoint names derive from method and path', () => {
  assert.equal(endpointNameFromRoute('GET', '/flights/:id'), 'get_flights_id');
  assert.equal(endpointNameFromRoute('POST', '/customers/'), 'post_customers');
  assert.equal(endpointNameFromRoute('GET', '/airports/:iata/delays'), 'get_airports_iata_delays');
  assert.equal(endpointNameFromRoute('DELETE', '/a-b/{id}'), 'delete_a_b_id');
});

test('unknown keys get the nearest known key as a suggestion', () => {
  const known = ['url-path', 'template-source', 'with-pagination', 'request'];
  assert.equal(suggestKey('url_path', known), 'url-path');
  assert.equal(suggestKey('urlPath', known), 'url-path');
  assert.equal(suggestKey('template-sorce', known), 'template-source');
  assert.equal(suggestKey('requests', known), 'request');
  assert.equal(suggestKey('colour', known), undefined);
});

test('the dry-run reads tables of an existing duckdb.db_path without writing to it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flapi-config-'));
  try {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(join(dir, 'app.duckdb'));
    const connection = await instance.connect();
    await connection.run('CREATE SCHEMA s; CREATE TABLE s.t AS SELECT 1::INTEGER AS x');
    connection.closeSync();
    instance.closeSync();
    mkdirSync(join(dir, 'sqls'));
    writeFileSync(join(dir, 'flapi.yaml'),
      'duckdb:\n  db_path: ./app.duckdb\nconnections:\n  db:\n    init: CREATE TABLE local AS SELECT 2::BIGINT AS y\n');
    writeFileSync(join(dir, 'sqls', 't.yaml'), 'url-path: /t\ntemplate-source: t.sql\n');
    writeFileSync(join(dir, 'sqls', 't.sql'), 'SELECT x, (SELECT y FROM local) AS y FROM s.t\n');
    const result = await compileProject({ dir, env: {} });
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(result.manifest?.endpoints[0]?.columns, [
      { name: 'x', type: 'INTEGER', nullable: true },
      { name: 'y', type: 'BIGINT', nullable: true },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the dry-run describes columns whose type depends on a parameter ({{params.id}} + 1)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flapi-config-'));
  try {
    mkdirSync(join(dir, 'sqls'));
    writeFileSync(join(dir, 'flapi.yaml'), 'connections:\n  db: {}\n');
    writeFileSync(join(dir, 'sqls', 'n.yaml'),
      'url-path: /n/:id\ntemplate-source: n.sql\nwith-pagination: false\nrequest:\n  - field-name: id\n    field-in: path\n    required: true\n    validators:\n      - type: int\n');
    writeFileSync(join(dir, 'sqls', 'n.sql'), "SELECT {{params.id}} + 1 AS next_id, 'x' AS label\n");
    const result = await compileProject({ dir, env: {} });
    assert.deepEqual(result.diagnostics, []);
    const columns = result.manifest?.endpoints[0]?.columns ?? [];
    assert.deepEqual(columns.map((c) => c.name), ['next_id', 'label']);
    assert.match(columns[0]!.type, /^(INTEGER|BIGINT)$/, 'resolved by running under LIMIT 0 with the dry-run values');
    assert.equal(columns[1]!.type, 'VARCHAR');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
