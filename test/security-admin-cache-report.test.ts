/**
 * The cache report at GET /_flapi/cache shows refresh errors verbatim (source file paths,
 * database hosts and users), so it takes the admin credential like the refresh itself and
 * flAPI's config-service audit routes do. Health and readiness stay open.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger, startServer, type HttpServerHandle } from '../runtime/index.js';
import { apiKeyHash } from '../runtime/security/index.js';
import { endpoint, manifest } from './serve-fixture.js';

const TOKEN = 'cache-report-admin-token-7';
const SOURCE = '/srv/private/warehouse/orders-export.csv';

describe('the cache report needs the admin credential', () => {
  let server: HttpServerHandle;
  before(async () => {
    const m = manifest([
      endpoint({
        urlPath: '/cached',
        name: 'cached',
        sql: 'SELECT * FROM main.cached_rows',
        cache: { enabled: true, table: 'cached_rows', schema: 'main', primaryKey: [], mode: 'full', template: { file: 'c.sql', sql: `SELECT * FROM read_csv('${SOURCE}')` } },
      }),
    ]);
    m.admin = { token: { value: apiKeyHash(TOKEN) }, protectMetrics: false };
    server = await startServer(m, { port: 0, logger: silentLogger, cacheRefresh: 'manual' });
    // A failed refresh leaves the source's path in the report.
    await fetch(`${server.url}/_flapi/cache/cached/refresh`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
  });
  after(() => server.close());

  it('refuses an anonymous caller, in any spelling, without naming the source', async () => {
    for (const path of ['/_flapi/cache', '/_flapi/cache/', '//_flapi//cache', '/%5Fflapi/cache', '/_flapi/cache?x=1']) {
      for (const method of ['GET', 'HEAD']) {
        const r = await fetch(server.url + path, { method });
        const text = await r.text();
        assert.equal(r.status, 401, `${method} ${path}`);
        assert.doesNotMatch(text, /warehouse|orders-export/, `${method} ${path}`);
      }
    }
  });

  it('refuses a wrong token and answers the right one', async () => {
    assert.equal((await fetch(`${server.url}/_flapi/cache`, { headers: { authorization: 'Bearer nope' } })).status, 401);
    const r = await fetch(`${server.url}/_flapi/cache`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(r.status, 200);
    assert.match(await r.text(), /orders-export/);
  });

  it('keeps the probes open', async () => {
    assert.equal((await fetch(`${server.url}/_flapi/health`)).status, 200);
    assert.notEqual((await fetch(`${server.url}/_flapi/ready`)).status, 401);
  });
});
