/**
 * Finding 1: the admin check and the router read one canonical path. Every `/_flapi/*`
 * route, in every spelling (letter case, %5F and %2F escapes, `//`, a trailing slash,
 * dot segments), with and without the admin token: a spelling the router treats as the
 * route gets the route's guard, any other spelling is a 404, and no refresh ever runs
 * without the token.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { silentLogger, startServer, type HttpServerHandle } from '../runtime/index.js';
import { apiKeyHash } from '../runtime/security/index.js';
import { canonicalPath } from '../runtime/security/canonical-path.js';
import { endpoint, manifest } from './serve-fixture.js';

const TOKEN = 'canonical-admin-token-42';

interface Spelling {
  name: string;
  /** Does the server treat it as the route itself? */
  same: boolean;
  spell(path: string): string;
}

const SPELLINGS: Spelling[] = [
  { name: 'canonical', same: true, spell: (p) => p },
  { name: 'upper-case prefix', same: false, spell: (p) => p.replace('/_flapi', '/_FLAPI') },
  { name: 'mixed case', same: false, spell: (p) => p.replace('/_flapi', '/_FlApI') },
  { name: 'all upper case', same: false, spell: (p) => p.toUpperCase() },
  { name: '%5F', same: true, spell: (p) => p.replace('/_flapi', '/%5Fflapi') },
  { name: '%5f and %61', same: true, spell: (p) => p.replace('/_flapi', '/%5ffl%61pi') },
  { name: '%2F separators', same: false, spell: (p) => `/${p.slice(1).replaceAll('/', '%2F')}` },
  { name: 'doubled slashes', same: true, spell: (p) => p.replaceAll('/', '//') },
  { name: 'trailing slash', same: true, spell: (p) => `${p}/` },
  { name: 'dot segments', same: true, spell: (p) => `/x/..${p.replace('/_flapi', '/./_flapi')}` },
  { name: 'upper case and //', same: false, spell: (p) => `/${p.replace('/_flapi', '/_FLAPI')}//` },
];

const ROUTES: { method: string; path: string }[] = [
  { method: 'GET', path: '/_flapi/health' },
  { method: 'GET', path: '/_flapi/ready' },
  { method: 'GET', path: '/_flapi/metrics' },
  { method: 'GET', path: '/_flapi/cache' },
  { method: 'POST', path: '/_flapi/cache/cached/refresh' },
  { method: 'POST', path: '/_flapi/cache/cached/refresh?full=true' },
];

describe('one canonical path for the router and the admin guard', () => {
  let server: HttpServerHandle;
  before(async () => {
    const m = manifest([
      endpoint({
        urlPath: '/cached',
        name: 'cached',
        sql: 'SELECT * FROM main.cached_rows',
        cache: { enabled: true, table: 'cached_rows', schema: 'main', primaryKey: [], mode: 'full', template: { file: 'c.sql', sql: 'SELECT id FROM flights' } },
      }),
    ]);
    m.admin = { token: { value: apiKeyHash(TOKEN) }, protectMetrics: true };
    server = await startServer(m, { port: 0, logger: silentLogger, cacheRefresh: 'manual' });
  });
  after(() => server.close());

  async function send(method: string, path: string, token?: string): Promise<number> {
    // fetch() would normalise dot segments itself; the request line must be sent as spelled.
    return new Promise((resolve, reject) => {
      const req = request(server.url, { method, path, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  }

  async function refreshes(): Promise<number> {
    const report = (await (await fetch(`${server.url}/_flapi/cache`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { caches: { snapshots: unknown[] }[] };
    return report.caches[0]!.snapshots.length;
  }

  it('canonicalPath removes every alternative spelling but keeps case and %2F', () => {
    assert.equal(canonicalPath('//_flapi//cache/'), '/_flapi/cache');
    assert.equal(canonicalPath('/%5Fflapi/%68ealth'), '/_flapi/health');
    assert.equal(canonicalPath('/a/../b/./c'), '/b/c');
    assert.equal(canonicalPath('/../../_flapi'), '/_flapi');
    assert.equal(canonicalPath('/a%2fb'), '/a%2Fb');
    assert.equal(canonicalPath('/_FLAPI/Health'), '/_FLAPI/Health');
    assert.equal(canonicalPath('/'), '/');
  });

  it('no spelling runs a refresh without the admin token', async () => {
    const before = await refreshes();
    for (const spelling of SPELLINGS) {
      for (const route of ROUTES.filter((r) => r.method === 'POST')) {
        const status = await send(route.method, spelling.spell(route.path));
        assert.ok(status === 401 || status === 404, `${spelling.name}: ${route.method} ${spelling.spell(route.path)} answered ${status}`);
        if (spelling.same) assert.equal(status, 401, `${spelling.name} is the route itself and needs the token`);
      }
    }
    assert.equal(await refreshes(), before, 'no refresh ran');
  });

  it('every route answers each spelling as the route itself or as a 404, with and without the token', async () => {
    for (const route of ROUTES) {
      const expected = { without: await send(route.method, route.path), with: await send(route.method, route.path, TOKEN) };
      for (const spelling of SPELLINGS.slice(1)) {
        const path = spelling.spell(route.path);
        const without = await send(route.method, path);
        const withToken = await send(route.method, path, TOKEN);
        const label = `${spelling.name}: ${route.method} ${path}`;
        if (spelling.same) {
          assert.equal(without, expected.without, `${label} without token`);
          assert.equal(withToken, expected.with, `${label} with token`);
        } else {
          assert.equal(withToken, 404, `${label} with token`);
          assert.ok(without === 404 || without === 401, `${label} without token answered ${without}`);
        }
      }
    }
  });

  it('the canonical routes keep their guards', async () => {
    assert.equal(await send('GET', '/_flapi/health'), 200);
    assert.equal(await send('GET', '/_flapi/metrics'), 401);
    assert.equal(await send('GET', '/_flapi/metrics', TOKEN), 200);
    assert.equal(await send('GET', '/_flapi/cache'), 401);
    assert.equal(await send('GET', '/_flapi/cache', TOKEN), 200);
    assert.equal(await send('POST', '/_flapi/cache/cached/refresh'), 401);
    assert.equal(await send('POST', '/_flapi/cache/cached/refresh', TOKEN), 200);
  });

  it('endpoint paths are matched case-sensitively, like the admin routes', async () => {
    assert.equal(await send('GET', '/cached'), 200);
    assert.equal(await send('GET', '//cached/'), 200);
    assert.equal(await send('GET', '/CACHED'), 404);
  });
});
