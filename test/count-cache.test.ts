import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CountCache } from '../runtime/plan/count-cache.js';
import { startServer, type HttpServerHandle } from '../runtime/index.js';
import { endpoint, manifest } from './serve-fixture.js';

describe('CountCache', () => {
  it('remembers a total per SQL and values until the data version changes', () => {
    let version = 1;
    const cache = new CountCache(() => version);
    cache.set('SELECT 1 WHERE a = $1', ['x'], 42, 1);
    assert.equal(cache.get('SELECT 1 WHERE a = $1', ['x']), 42);
    assert.equal(cache.get('SELECT 1 WHERE a = $1', ['y']), undefined);
    assert.equal(cache.get('SELECT 2 WHERE a = $1', ['x']), undefined);
    version = 2;
    assert.equal(cache.get('SELECT 1 WHERE a = $1', ['x']), undefined, 'a data change forgets every total');
    cache.set('SELECT 1 WHERE a = $1', ['x'], 7, 1);
    assert.equal(cache.get('SELECT 1 WHERE a = $1', ['x']), undefined, 'a count begun before the change is not kept');
  });

  it('keeps values of different types apart', () => {
    const cache = new CountCache(() => 1);
    cache.set('q', [1], 10, 1);
    cache.set('q', ['1'], 20, 1);
    cache.set('q', [1n], 30, 1);
    cache.set('q', [true], 40, 1);
    cache.set('q', [null], 50, 1);
    cache.set('q', ['a', 'b'], 60, 1);
    assert.deepEqual(
      [[1], ['1'], [1n], [true], [null], ['a', 'b'], ['a\u0000sb']].map((v) => cache.get('q', v)),
      [10, 20, 30, 40, 50, 60, undefined],
    );
  });

  it('never remembers SQL that reads the clock or a random source, and stays bounded', () => {
    const cache = new CountCache(() => 1, 10);
    cache.set("SELECT * FROM t WHERE day > now() - INTERVAL '1 day'", [], 5, 1);
    cache.set('SELECT * FROM t WHERE random() < 0.5', [], 5, 1);
    cache.set('SELECT * FROM t WHERE day = current_date', [], 5, 1);
    assert.equal(cache.size, 0);
    for (let i = 0; i < 25; i++) cache.set('SELECT * FROM t WHERE a = $1', [i], i, 1);
    assert.ok(cache.size <= 10);
    assert.equal(cache.get('SELECT * FROM t WHERE a = $1', [24]), 24, 'the newest totals stay');
  });
});

describe('total_count of paginated reads', () => {
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer(
      manifest([
        endpoint({
          urlPath: '/pages',
          pagination: true,
          sql: 'SELECT id FROM flights {{#params.origin}} WHERE origin = {{params.origin}} {{/params.origin}} ORDER BY id',
          params: [{ name: 'origin', in: 'query', required: false, validators: [{ type: 'string' }] }],
        }),
      ]),
      { port: 0 },
    );
  });
  after(async () => {
    await server.close();
  });

  const page = async (query: string) => {
    const response = await fetch(`${server.url}/pages?${query}`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { data: unknown[]; total_count: number; next: string | null };
    assert.equal(response.headers.get('x-total-count'), String(body.total_count));
    return body;
  };

  it('counts once per filter and data version, and is exact again after the data changes', async () => {
    assert.equal((await page('origin=JFK&limit=3&offset=0')).total_count, 10);
    const database = server.current.database;
    // Rows added behind the server's back (no data version change): the remembered total shows.
    await database.query(`INSERT INTO flights VALUES (100, 'JFK', DATE '2024-06-01', 1.0)`);
    assert.equal((await page('origin=JFK&limit=3&offset=3')).total_count, 10, 'the count was not run again');
    assert.equal((await page('origin=LAX&limit=3&offset=0')).total_count, 10, 'another filter is counted on its own');
    database.markDataChanged();
    const afterChange = await page('origin=JFK&limit=3&offset=3');
    assert.equal(afterChange.total_count, 11);
    assert.equal(afterChange.next, '/pages?origin=JFK&limit=3&offset=6');
    // A short last page gives the total without a count, and the earlier pages reuse it.
    await database.query(`INSERT INTO flights VALUES (101, 'SFO', DATE '2024-06-02', 1.0)`);
    database.markDataChanged();
    const last = await page('origin=SFO&limit=4&offset=8');
    assert.equal(last.total_count, 11);
    assert.equal(last.data.length, 3);
    assert.equal(last.next, null);
    await database.query(`INSERT INTO flights VALUES (102, 'SFO', DATE '2024-06-03', 1.0)`);
    assert.equal((await page('origin=SFO&limit=4&offset=0')).total_count, 11);
  });
});
