/**
 * The cache routes of flAPI's config service (`/api/v1/_config/...`), answered by the
 * cache layer, behind the admin credential.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pathSlug } from '../runtime/app/config-service-json.js';
import { silentLogger, startServer } from '../runtime/index.js';
import { tempProject } from './support/cache-project.js';

const TOKEN = 'config-token-for-tests';

describe('flAPI config service routes', () => {
  const p = tempProject({
    'flapi.yaml': "project-name: cfg\ntemplate:\n  path: ./sqls\n  environment-whitelist: ['^CFG_ADMIN$']\nadmin:\n  token: '{{env.CFG_ADMIN}}'\n",
    'sqls/cached.yaml': 'url-path: /test/cached/\ntemplate-source: cached.sql\nwith-pagination: false\nrequest:\n  - field-name: id\n    field-in: query\n    validators:\n      - type: int\n        min: 1\ncache:\n  table: test_cache\n  schema: test_schema\n  schedule: 1m\n  retention:\n    keep-last-snapshots: 1\n  template-file: cached-cache.sql\n',
    'sqls/cached.sql': 'SELECT * FROM {{cache.catalog}}.{{cache.schema}}.{{cache.table}}',
    'sqls/cached-cache.sql': 'SELECT 1 AS id',
    'sqls/plain.yaml': 'url-path: /plain\ntemplate-source: plain.sql\n',
    'sqls/plain.sql': 'SELECT 1 AS id',
  }, 'flapi-compat-cfg-');
  let url = '';
  let close: () => Promise<void> = async () => undefined;
  const call = (path: string, init: RequestInit = {}, headers: Record<string, string> = { 'X-Config-Token': TOKEN }) =>
    fetch(`${url}/api/v1/_config${path}`, { ...init, headers });

  before(async () => {
    const env = { CFG_ADMIN: TOKEN };
    const server = await startServer(await p.compile(env), { port: 0, logger: silentLogger, env, cacheRefresh: 'manual' });
    url = server.url;
    close = () => server.close();
  });
  after(async () => {
    await close();
    p.remove();
  });

  it('names endpoints by flAPI slugs', () => {
    assert.equal(pathSlug('/test/cached/'), 'test-cached-slash');
    assert.equal(pathSlug('/customers/:id'), 'customers-id');
    assert.equal(pathSlug('/rate-limit-test'), 'rate-limit-test');
  });

  it('refuses callers without the admin token, and takes it as X-Config-Token or a bearer token', async () => {
    assert.equal((await call('/endpoints/test-cached-slash/cache', {}, {})).status, 401);
    assert.equal((await call('/endpoints/test-cached-slash/cache', {}, { 'X-Config-Token': 'wrong' })).status, 401);
    assert.equal((await call('/endpoints/test-cached-slash/cache', {}, { Authorization: `Bearer ${TOKEN}` })).status, 200);
  });

  it('answers the cache configuration under flAPI key names, 404 for an unknown endpoint', async () => {
    const response = await call('/endpoints/test-cached-slash/cache');
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.deepEqual({ enabled: body['enabled'], table: body['table'], schema: body['schema'], schedule: body['schedule'] },
      { enabled: true, table: 'test_cache', schema: 'test_schema', schedule: '1m' });
    assert.deepEqual(body['retention'], { 'keep-last-snapshots': 1 });
    assert.equal((await call('/endpoints/test-invalid-slash/cache')).status, 404);
    assert.equal((await call('/endpoints/plain/cache/refresh', { method: 'POST' })).status, 400);
  });

  it('refreshes (waiting for one already running), lists the refreshes in the audit logs, and collects garbage', async () => {
    const refreshes = await Promise.all([1, 2].map(() => call('/endpoints/test-cached-slash/cache/refresh', { method: 'POST' })));
    for (const refresh of refreshes) assert.equal(refresh.status, 200, await refresh.clone().text());
    const audit = (await (await call('/endpoints/test-cached-slash/cache/audit')).json()) as Record<string, unknown>[];
    assert.deepEqual(audit.map((e) => [e['endpoint_path'], e['cache_schema'], e['cache_table'], e['status']]),
      [['get_test_cached', 'test_schema', 'test_cache', 'success'], ['get_test_cached', 'test_schema', 'test_cache', 'success']]);
    const all = (await (await call('/cache/audit')).json()) as unknown[];
    assert.equal(all.length, 2);
    const gc = await call('/endpoints/test-cached-slash/cache/gc', { method: 'POST' });
    assert.equal(gc.status, 200, await gc.clone().text());
    assert.deepEqual(await (await fetch(`${url}/test/cached/`)).json(), [{ id: 1 }]);
  });

  it('lists an endpoint\'s parameters', async () => {
    const body = (await (await call('/endpoints/test-cached-slash/parameters')).json()) as { method: string; parameters: Record<string, unknown>[] };
    assert.equal(body.method, 'GET');
    assert.deepEqual(body.parameters.map((x) => [x['name'], x['in'], x['required']]), [['id', 'query', false]]);
  });
});
