/**
 * Identical concurrent misses run one query: the first caller runs it, the others wait
 * for its answer and get the same bytes, whether or not the answer is stored. Queries are
 * counted by DuckDB itself (its query log, read through an endpoint), not by the server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, silentLogger, type HttpServerHandle } from '../runtime/index.js';
import type { EndpointSpec, Manifest } from '../runtime/manifest.js';
import { endpoint, INIT_SQL, manifest } from './serve-fixture.js';

/** Slow enough (a scan of 150M generated rows) that fifty requests arrive while it runs. */
const SLOW = (marker: string) => `SELECT /* ${marker} */ count(*) AS n FROM range(150000000) t(i) WHERE i % 7 = 3`;
const K = [{ name: 'k', in: 'query' as const, required: true, validators: [{ type: 'int' as const }] }];

function project(responseCacheBytes: number): Manifest {
  const heavy = (urlPath: string, sql: string, extra: Partial<EndpointSpec> = {}) => endpoint({ urlPath, sql, params: K, ...extra });
  const m = manifest([
    heavy('/heavy', `SELECT n, {{params.k}} AS k FROM (${SLOW('sf-heavy')})`),
    heavy('/heavy-off', `SELECT n, {{params.k}} AS k FROM (${SLOW('sf-off')})`, { responseCache: { enabled: false } }),
    // About 230 kB of JSON: sent in one piece, but over the largest entry kept (an eighth of 1 MiB).
    heavy('/heavy-big', `SELECT n, {{params.k}} AS k, i, repeat('x', 200) AS pad FROM (${SLOW('sf-big')}), range(1000) r(i)`),
    heavy('/failing', `SELECT CASE WHEN n > {{params.k}} THEN error('no such thing') END AS x FROM (${SLOW('sf-fail')})`),
    // The count must not be answered from the cache, and the marker is bound, so this query never counts itself.
    endpoint({
      urlPath: '/queries',
      sql: "SELECT count(*) AS n FROM duckdb_logs WHERE type = 'QueryLog' AND message LIKE '%{{params.marker}}%'",
      params: [{ name: 'marker', in: 'query', required: true, validators: [{ type: 'string' }] }],
      responseCache: { enabled: false },
    }),
  ], `CALL enable_logging('QueryLog');\n${INIT_SQL}`);
  m.server.responseCacheBytes = responseCacheBytes;
  return m;
}

interface Answer {
  status: number;
  cache: string | null;
  etag: string | null;
  body: string;
}

async function burst(url: string, count = 50): Promise<Answer[]> {
  return Promise.all(Array.from({ length: count }, async () => {
    const r = await fetch(url);
    return { status: r.status, cache: r.headers.get('x-cache'), etag: r.headers.get('etag'), body: await r.text() };
  }));
}

async function queriesRun(server: HttpServerHandle, marker: string): Promise<number> {
  const rows = (await (await fetch(`${server.url}/queries?marker=${marker}`)).json()) as { n: number }[];
  return Number(rows[0]!.n);
}

function assertOneAnswer(answers: Answer[]): void {
  const first = answers[0]!;
  assert.equal(first.status, 200);
  assert.ok(answers.every((a) => a.status === 200 && a.body === first.body && a.etag === first.etag), 'every caller gets the same bytes');
  assert.equal(answers.filter((a) => a.cache === 'MISS').length, 1, 'one caller ran the query');
  assert.equal(answers.filter((a) => a.cache === 'SHARED').length, answers.length - 1, 'the others shared its answer');
}

describe('single flight', () => {
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer(project(1 << 20), { port: 0, logger: silentLogger });
  });
  after(async () => {
    await server.close();
  });

  it('runs 50 identical concurrent misses as one query, and each caller gets its answer', async () => {
    assertOneAnswer(await burst(`${server.url}/heavy?k=1`));
    assert.equal(await queriesRun(server, 'sf-heavy'), 1, 'one query for fifty callers');
    const again = await fetch(`${server.url}/heavy?k=1`);
    assert.equal(again.headers.get('x-cache'), 'HIT', 'the answer was stored');
    await again.text();
    const other = await fetch(`${server.url}/heavy?k=2`);
    assert.equal(other.headers.get('x-cache'), 'MISS');
    await other.text();
    assert.equal(await queriesRun(server, 'sf-heavy'), 2, 'other inputs are another flight');
  });

  it('shares the answer of an endpoint whose answers are never stored', async () => {
    assertOneAnswer(await burst(`${server.url}/heavy-off?k=1`));
    assert.equal(await queriesRun(server, 'sf-off'), 1);
    const later = await fetch(`${server.url}/heavy-off?k=1`);
    assert.equal(later.headers.get('x-cache'), 'MISS', 'nothing was stored');
    await later.text();
    assert.equal(await queriesRun(server, 'sf-off'), 2);
  });

  it('shares an answer too big to store', async () => {
    const answers = await burst(`${server.url}/heavy-big?k=1`);
    assertOneAnswer(answers);
    assert.ok(answers[0]!.body.length > (1 << 20) / 8, 'over the largest entry kept');
    assert.equal(await queriesRun(server, 'sf-big'), 1);
    const later = await fetch(`${server.url}/heavy-big?k=1`);
    assert.equal(later.headers.get('x-cache'), 'MISS', 'nothing was stored');
    await later.text();
  });

  it('gives every caller the failure of the one query they share', async () => {
    const answers = await burst(`${server.url}/failing?k=0`);
    assert.ok(answers.every((a) => a.status === 500), `every caller failed: ${[...new Set(answers.map((a) => a.status))].join(',')}`);
    const ids = answers.map((a) => (JSON.parse(a.body) as { request_id: string }).request_id);
    assert.equal(new Set(ids).size, answers.length, 'each failure names its own request');
    assert.equal(await queriesRun(server, 'sf-fail'), 1);
  });

  it('runs the query again, once, for the others when the caller who ran it goes away', async () => {
    const leaver = new AbortController();
    const left = fetch(`${server.url}/heavy?k=3`, { signal: leaver.signal }).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 100));
    const others = burst(`${server.url}/heavy?k=3`, 20);
    await new Promise((r) => setTimeout(r, 100));
    leaver.abort();
    assert.ok((await left) instanceof Error);
    const answers = await others;
    assertOneAnswer(answers);
    assert.equal(await queriesRun(server, 'sf-heavy'), 4, 'k=1, k=2, the interrupted k=3 and its one rerun');
  });
});

describe('single flight with the response cache off (size 0)', () => {
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer(project(0), { port: 0, logger: silentLogger });
  });
  after(async () => {
    await server.close();
  });

  it('still runs 50 identical concurrent misses as one query', async () => {
    assertOneAnswer(await burst(`${server.url}/heavy?k=1`));
    assert.equal(await queriesRun(server, 'sf-heavy'), 1);
  });
});
