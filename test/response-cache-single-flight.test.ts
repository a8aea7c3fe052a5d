/**
 * Identical concurrent misses run one query: the first caller runs it, the others wait
 * for its answer and get the same bytes from the response cache.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, silentLogger, type HttpServerHandle } from '../runtime/index.js';
import { endpoint, manifest } from './serve-fixture.js';

const m = manifest([
  endpoint({
    urlPath: '/heavy',
    sql: 'SELECT count(*) AS n, {{params.k}} AS k FROM range(400000000) t(i) WHERE i % 7 = 3',
    params: [{ name: 'k', in: 'query', required: true, validators: [{ type: 'int' }] }],
  }),
]);
m.server.responseCacheBytes = 1 << 20;

describe('single flight', () => {
  let server: HttpServerHandle;
  let acquired = 0;
  before(async () => {
    server = await startServer(m, { port: 0, logger: silentLogger });
    const pool = server.current.database.pool;
    const acquire = pool.acquire.bind(pool);
    pool.acquire = () => {
      acquired++;
      return acquire();
    };
  });
  after(async () => {
    await server.close();
  });

  it('runs 50 identical concurrent misses as one query, and each caller gets its answer', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(`${server.url}/heavy?k=1`).then(async (r) => ({ status: r.status, cache: r.headers.get('x-cache'), body: await r.text() }))));
    assert.equal(acquired, 1, 'one query for fifty callers');
    assert.ok(answers.every((a) => a.status === 200 && a.body === answers[0]!.body));
    assert.equal(answers.filter((a) => a.cache === 'MISS').length, 1);
    const other = await fetch(`${server.url}/heavy?k=2`);
    assert.equal(other.headers.get('x-cache'), 'MISS');
    await other.text();
    assert.equal(acquired, 2, 'other inputs are another flight');
  });
});
