/**
 * `Cache-Control` tied to the data's schedule, and the endpoint's `response-cache:` block
 * (enabled, ttl, cache-control), on a real server compiled from YAML: a CDN in front of the
 * server keeps an answer exactly as long as the data it came from stays true.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compileProject } from '../cli/compile-project.js';
import { startServer, silentLogger, type HttpServerHandle } from '../runtime/index.js';
import type { EndpointSpec, Manifest } from '../runtime/manifest.js';
import { cachePolicy, namesTable, type DataLifetime } from '../runtime/response-cache/index.js';
import { artifactManifest, writeArtifact } from './support/artifact-files.js';
import { tempProject, waitFor, type TempProject } from './support/cache-project.js';
import { endpoint, manifest } from './serve-fixture.js';

const CACHE = 'cache:\n  table: nums\n  schema: main\n  schedule: 1h\n  template-file: nums-cache.sql\n';
const BASIC = 'auth:\n  enabled: true\n  type: basic\n  users:\n    - username: ana\n      password: hunter2\n';

const FILES: Record<string, string> = {
  'flapi.yaml': "project-name: cc\ntemplate:\n  path: ./sqls\nconnections:\n  db:\n    init: 'CREATE TABLE plain AS SELECT 1 AS x'\n",
  'sqls/nums-cache.sql': 'SELECT i AS id FROM range(5) t(i)',
  'sqls/nums.sql': 'SELECT id FROM {{cache.schema}}.{{cache.table}} ORDER BY id',
  'sqls/num.sql': 'SELECT id FROM main.nums WHERE id = {{params.id}}',
  'sqls/plain.sql': 'SELECT x FROM plain',
  'sqls/me.sql': 'SELECT {{auth.username}} AS who, count(*) AS n FROM main.nums',
  'sqls/nums.yaml': `url-path: /nums\ntemplate-source: nums.sql\nwith-pagination: false\n${CACHE}`,
  // No cache of its own: it reads /nums's cache by name, and its TTL caps max-age.
  'sqls/num.yaml': "url-path: /num/:id\ntemplate-source: num.sql\nwith-pagination: false\nrequest:\n  - field-name: id\n    field-in: path\n    validators: [{ type: int }]\nresponse-cache:\n  ttl: 30s\n",
  'sqls/plain.yaml': 'url-path: /plain\ntemplate-source: plain.sql\nwith-pagination: false\n',
  'sqls/off.yaml': 'url-path: /off\ntemplate-source: num.sql\nwith-pagination: false\nrequest:\n  - field-name: id\n    field-in: query\nresponse-cache:\n  enabled: false\n',
  'sqls/short.yaml': 'url-path: /short\ntemplate-source: nums.sql\nwith-pagination: false\nresponse-cache:\n  ttl: 1\n' + CACHE.replace('nums', 'short_nums'),
  'sqls/fixed.yaml': "url-path: /fixed\ntemplate-source: plain.sql\nwith-pagination: false\nresponse-cache:\n  cache-control: 'public, max-age=60'\n",
  'sqls/me.yaml': 'url-path: /me\ntemplate-source: me.sql\nwith-pagination: false\n',
  'sqls/secret.yaml': `url-path: /secret\ntemplate-source: num.sql\nwith-pagination: false\nrequest:\n  - field-name: id\n    field-in: query\n${BASIC}`,
  'sqls/secret-fixed.yaml': `url-path: /secret-fixed\ntemplate-source: num.sql\nwith-pagination: false\nrequest:\n  - field-name: id\n    field-in: query\nresponse-cache:\n  cache-control: 'public, max-age=60'\n${BASIC}`,
};

interface Seen {
  status: number;
  control: string | null;
  cache: string | null;
  vary: string | null;
}

function maxAge(control: string | null): number {
  const match = /^public, max-age=(\d+)$/.exec(control ?? '');
  assert.ok(match, `a public max-age, not ${control}`);
  return Number(match[1]);
}

describe('Cache-Control from the data schedule', () => {
  let project: TempProject;
  let server: HttpServerHandle;
  const ana = { authorization: `Basic ${Buffer.from('ana:hunter2').toString('base64')}` };
  const get = async (path: string, headers: Record<string, string> = {}): Promise<Seen> => {
    const r = await fetch(`${server.url}${path}`, { headers });
    await r.arrayBuffer();
    return { status: r.status, control: r.headers.get('cache-control'), cache: r.headers.get('x-cache'), vary: r.headers.get('vary') };
  };
  /** Seconds until the next scheduled refresh of `/nums`'s cache, as the cache report says. */
  const secondsToRefresh = async (): Promise<number> => {
    const report = (await (await fetch(`${server.url}/_flapi/cache`)).json()) as { caches: { endpoint: string; next_refresh_at: string | null }[] };
    const next = report.caches.find((c) => c.endpoint === 'get_nums')?.next_refresh_at;
    assert.ok(next, 'the cache has a next refresh');
    return (Date.parse(next) - Date.now()) / 1000;
  };

  before(async () => {
    project = tempProject(FILES, 'flapi-cache-control-');
    const m = await project.compile();
    server = await startServer(m, { port: 0, logger: silentLogger });
    await waitFor(() => server.current.caches.ready, 20_000, 'caches warmed up');
  });
  after(async () => {
    await server?.close();
    project.remove();
  });

  it('answers a read of a scheduled cache with a public max-age up to its next refresh, recomputed on every hit', async () => {
    const first = await get('/nums');
    const left = await secondsToRefresh();
    assert.equal(first.cache, 'MISS');
    assert.ok(maxAge(first.control) > 0 && maxAge(first.control) <= left + 1, `${first.control} within ${left}s`);
    assert.ok(left > 3500, 'an hour from the warm-up');
    assert.match(first.vary ?? '', /Accept/, 'the format follows Accept, so shared caches must key on it');
    await new Promise((r) => setTimeout(r, 1100));
    const hit = await get('/nums');
    assert.equal(hit.cache, 'HIT');
    assert.ok(maxAge(hit.control) < maxAge(first.control), `a replayed entry's max-age is not stale: ${hit.control} after ${first.control}`);
    assert.match(hit.vary ?? '', /Accept/);
  });

  it('bounds an endpoint by the caches its template names, capped by its TTL', async () => {
    const miss = await get('/num/3');
    assert.ok(maxAge(miss.control) > 0 && maxAge(miss.control) <= 30, String(miss.control));
    const hit = await get('/num/3');
    assert.equal(hit.cache, 'HIT');
    assert.ok(maxAge(hit.control) <= maxAge(miss.control));
  });

  it('says no-cache when nothing bounds the data, and sends a written value as it is', async () => {
    assert.equal((await get('/plain')).control, 'no-cache');
    assert.equal((await get('/plain')).control, 'no-cache');
    assert.equal((await get('/fixed')).control, 'public, max-age=60');
    assert.equal((await get('/fixed')).control, 'public, max-age=60');
  });

  it('keeps answers for a verified caller, and of endpoints that read auth.*, out of shared caches', async () => {
    for (let i = 0; i < 2; i++) {
      const me = await get('/me');
      assert.equal(me.status, 200);
      assert.equal(me.control, 'private');
      const secret = await get('/secret?id=1', ana);
      assert.equal(secret.status, 200);
      assert.equal(secret.control, 'private');
      assert.equal(secret.cache, i === 0 ? 'MISS' : 'HIT');
      assert.equal((await get('/secret-fixed?id=1', ana)).control, 'private', 'a written public value does not make a caller\'s answer public');
    }
    assert.equal((await get('/secret?id=1')).control, null, 'a refusal carries none');
  });

  it('never stores the answers of an endpoint with enabled: false', async () => {
    for (let i = 0; i < 3; i++) {
      const off = await get('/off?id=2');
      assert.equal(off.status, 200);
      assert.equal(off.cache, 'MISS');
      assert.ok(maxAge(off.control) > 0, 'downstream caches may still keep it');
    }
  });

  it('drops a stored answer when its TTL is over, though the data did not change', async () => {
    const first = await get('/short');
    assert.equal(first.cache, 'MISS');
    assert.ok(maxAge(first.control) <= 1);
    assert.equal((await get('/short')).cache, 'HIT');
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await get('/short')).cache, 'MISS', 'expired after a second');
    assert.equal((await get('/short')).cache, 'HIT');
  });
});

describe('Cache-Control of a served artifact', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flapi-cache-control-artifact-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [pollIntervalMs, expected] of [[45_000, 'public, max-age=45'], [0, 'no-cache']] as const) {
    it(`polled every ${pollIntervalMs} ms: ${expected}`, async () => {
      const file = join(dir, `a${pollIntervalMs}.duckdb`);
      await writeArtifact(file, { label: 'v1' });
      const server = await startServer(artifactManifest(file, { pollIntervalMs }), { port: 0, logger: silentLogger, env: {} });
      try {
        for (const cache of ['MISS', 'HIT']) {
          const r = await fetch(`${server.url}/flights/2`);
          await r.arrayBuffer();
          assert.equal(r.headers.get('x-cache'), cache);
          assert.equal(r.headers.get('cache-control'), expected);
        }
      } finally {
        await server.close();
      }
    });
  }
});

describe('what bounds an endpoint\'s data', () => {
  const scheduled = (name: string, table: string): EndpointSpec => ({
    ...endpoint({ urlPath: `/${name}`, sql: `SELECT * FROM {{cache.table}}` }),
    cache: { enabled: true, table, schema: 'main', schedule: '1h', template: { file: 'c.sql', sql: 'SELECT 1' }, primaryKey: [], mode: 'full' },
  });
  const inAMinute: DataLifetime = { nextRefresh: () => Date.now() + 60_500 };
  const control = (m: Manifest, name: string, lifetime = inAMinute) => cachePolicy(m.endpoints.find((e) => e.urlPath === `/${name}`)!, false, m, lifetime).cacheControl(false);

  it('is unbounded where a write may land at any moment', () => {
    const writer = { ...endpoint({ urlPath: '/w', sql: 'INSERT INTO t VALUES (1)' }), method: 'POST' as const, operation: { type: 'write' as const, transaction: true, returnsData: false } };
    assert.equal(control(manifest([scheduled('a', 'ta')]), 'a'), 'public, max-age=60');
    assert.equal(control(manifest([scheduled('a', 'ta'), writer]), 'a'), 'no-cache');
  });

  it('takes the soonest refresh of every cache read, and none when one has no schedule', () => {
    const reader = endpoint({ urlPath: '/r', sql: 'SELECT * FROM "main"."TA" JOIN tb USING (id)' });
    const m = manifest([scheduled('a', 'ta'), scheduled('b', 'tb'), reader]);
    const soon: DataLifetime = { nextRefresh: (name) => Date.now() + (name === 'get_a' ? 120_500 : 10_500) };
    assert.equal(control(m, 'r', soon), 'public, max-age=10');
    assert.equal(control(m, 'r', { nextRefresh: (name) => (name === 'get_a' ? Date.now() + 60_500 : undefined) }), 'no-cache');
    assert.equal(control(m, 'r', { nextRefresh: () => Date.now() }), 'no-cache', 'a refresh running now');
  });

  it('finds a cache by its table named as a whole word', () => {
    assert.ok(namesTable('select * from main.orders o', 'orders'));
    assert.ok(namesTable('FROM "Orders"', 'orders'));
    assert.ok(!namesTable('SELECT * FROM orders_archive', 'orders'));
    assert.ok(!namesTable('SELECT * FROM preorders', 'orders'));
  });
});

describe('response-cache in endpoint YAML', () => {
  it('reports a TTL that is no duration and a block on a write endpoint, at their line', async () => {
    const p = tempProject({
      'flapi.yaml': 'project-name: cfg\ntemplate:\n  path: ./sqls\nconnections:\n  db: {}\n',
      'sqls/q.sql': 'SELECT 1 AS x',
      'sqls/a.yaml': 'url-path: /a\ntemplate-source: q.sql\nresponse-cache:\n  ttl: soon\n',
      'sqls/w.yaml': 'url-path: /w\nmethod: POST\ntemplate-source: q.sql\nresponse-cache:\n  enabled: false\n',
    });
    try {
      const { diagnostics } = await compileProject({ dir: p.dir, env: {} });
      const ttl = diagnostics.find((d) => d.code === 'response-cache' && d.severity === 'error');
      assert.deepEqual([ttl?.file.endsWith('sqls/a.yaml'), ttl?.line], [true, 4]);
      assert.match(ttl!.message, /ttl must be a positive duration/);
      const write = diagnostics.find((d) => d.code === 'response-cache' && d.severity === 'warning');
      assert.ok(write?.file.endsWith('sqls/w.yaml'));
    } finally {
      p.remove();
    }
  });
});
