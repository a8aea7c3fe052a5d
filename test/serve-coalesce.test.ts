/**
 * Concurrent key lookups over HTTP: requests that arrive while the connections are busy
 * share one query, and each gets the status, headers and body it gets alone (compared
 * with the same endpoint with `coalesce-lookups: false`), through the response cache too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type HttpServerHandle, type LogFields, type Logger } from '../runtime/index.js';
import type { EndpointSpec } from '../runtime/manifest.js';
import { endpoint, manifest } from './serve-fixture.js';

const INIT = `
CREATE TABLE items AS
  SELECT i AS id, 'g' || (i % 500) AS grp, i * 0.25 AS price, DATE '2024-01-01' + (i % 365)::INTEGER AS day
  FROM range(1, 200001) t(i);
CREATE UNIQUE INDEX items_id ON items(id);
CREATE INDEX items_grp ON items(grp);
`;

const idParam: EndpointSpec['params'] = [{ name: 'id', in: 'path', required: true, validators: [{ type: 'int' }] }];
const grpParam: EndpointSpec['params'] = [{ name: 'grp', in: 'path', required: true, validators: [{ type: 'string' }] }];
const BY_ID = 'SELECT id, grp, price, day FROM items WHERE id = {{params.id}}';
const BY_GROUP = "SELECT id, price FROM items WHERE grp = '{{{params.grp}}}' ORDER BY price DESC";

function recording(): { batches: () => number[]; logger: Logger } {
  const sizes: number[] = [];
  const push = (message: string, fields?: LogFields) => {
    if (message.startsWith('query ') && typeof fields?.['batch'] === 'number') sizes.push(fields['batch']);
  };
  return { batches: () => sizes, logger: { debug: push, info: push, warn: push, error: push } };
}

async function get(url: string): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text(), headers: res.headers };
}

describe('coalesced key lookups over HTTP', () => {
  const m = manifest([
    endpoint({ urlPath: '/items/:id', sql: BY_ID, params: idParam }),
    endpoint({ urlPath: '/alone/:id', sql: BY_ID, params: idParam, coalesceLookups: false }),
    endpoint({ urlPath: '/groups/:grp', sql: BY_GROUP, params: grpParam }),
    endpoint({ urlPath: '/groups-alone/:grp', sql: BY_GROUP, params: grpParam, coalesceLookups: false }),
    endpoint({ urlPath: '/pages/:grp', sql: BY_GROUP, params: grpParam, pagination: true }),
    endpoint({ urlPath: '/pages-alone/:grp', sql: BY_GROUP, params: grpParam, pagination: true, coalesceLookups: false }),
  ], INIT);
  m.connections['main']!.logQueries = true;
  m.server.maxRows = 150;
  const log = recording();
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer(m, { port: 0, logger: log.logger });
  });
  after(async () => {
    await server.close();
  });

  /** Bursts of concurrent requests until some went as a batch (the first sight of a SQL text runs alone). */
  async function burst(path: (i: number) => string, n: number): Promise<Array<{ status: number; body: string; headers: Headers }>> {
    let answers: Array<{ status: number; body: string; headers: Headers }> = [];
    for (let round = 0; round < 20; round++) {
      const before = log.batches().length;
      answers = await Promise.all(Array.from({ length: n }, (_, i) => get(`${server.url}${path(i)}`)));
      if (log.batches().length > before) return answers;
    }
    assert.fail('no request was ever answered in a batch');
  }

  it('answers each concurrent point lookup exactly as its own query does', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => (i % 7 === 0 ? 300000 + i : 1 + ((i * 7919) % 200000)));
    const answers = await burst((i) => `/items/${ids[i]}`, ids.length);
    for (const [i, got] of answers.entries()) {
      const alone = await get(`${server.url}/alone/${ids[i]}`);
      assert.equal(got.status, alone.status);
      assert.equal(got.body, alone.body, `id ${ids[i]}`);
      assert.equal(got.headers.get('content-type'), alone.headers.get('content-type'));
      assert.equal(got.headers.get('x-max-rows'), '150');
    }
    assert.equal(answers[0]!.body, '[]', 'an id past the data answers an empty list, as alone');
    assert.ok(Math.max(...log.batches()) > 1);
  });

  it('keeps each key\'s rows, order and the row cap', async () => {
    const groups = ['g1', 'g2', 'g499', 'nope', 'g1', 'g250'];
    const answers = await burst((i) => `/groups/${groups[i % groups.length]}`, 24);
    for (const [i, got] of answers.entries()) {
      const alone = await get(`${server.url}/groups-alone/${groups[i % groups.length]}`);
      assert.equal(got.body, alone.body);
    }
    assert.equal((JSON.parse(answers[0]!.body) as unknown[]).length, 150, 'capped at limits.max-rows');
  });

  it('pages each key on its own: the same page, total and paging headers as alone', async () => {
    const asks = ['g1?limit=5&offset=10', 'g2', 'g3?offset=398', 'nope?limit=3', 'g1?limit=20&offset=395', 'g7?limit=1'];
    const answers = await burst((i) => `/pages/${asks[i % asks.length]}`, 30);
    for (const [i, got] of answers.entries()) {
      const alone = await get(`${server.url}/pages-alone/${asks[i % asks.length]}`);
      assert.equal(got.status, alone.status);
      assert.equal(got.body, alone.body.replace('/pages-alone/', '/pages/'), asks[i % asks.length]);
      for (const name of ['x-total-count', 'x-offset', 'x-limit', 'x-next']) {
        assert.equal(got.headers.get(name)?.replace('/pages/', '/'), alone.headers.get(name)?.replace('/pages-alone/', '/'), `${name} of ${asks[i % asks.length]}`);
      }
    }
    assert.equal(answers[0]!.headers.get('x-total-count'), '400');
  });

  it('still validates each request on its own', async () => {
    const answers = await Promise.all(['1', 'x', '2'].map((id) => get(`${server.url}/items/${id}`)));
    assert.deepEqual(answers.map((a) => a.status), [200, 400, 200]);
    assert.match(answers[1]!.body, /"id"/);
  });

  it('never batches an endpoint that turned it off', async () => {
    const before = log.batches().length;
    await Promise.all(Array.from({ length: 40 }, (_, i) => get(`${server.url}/alone/${i + 1}`)));
    assert.equal(log.batches().length, before);
  });
});

describe('coalesced key lookups and the response cache', () => {
  const m = manifest([endpoint({ urlPath: '/items/:id', sql: BY_ID, params: idParam })], INIT);
  m.server.responseCacheBytes = 1 << 20;
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer(m, { port: 0 });
  });
  after(async () => {
    await server.close();
  });

  it('stores what a batch answered and serves it again', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => 1000 + i);
    for (let round = 0; round < 3; round++) await Promise.all(ids.map((id) => get(`${server.url}/items/${id + round * 100}`)));
    const first = await Promise.all(ids.map((id) => get(`${server.url}/items/${id + 5000}`)));
    const again = await Promise.all(ids.map((id) => get(`${server.url}/items/${id + 5000}`)));
    for (const [i, id] of ids.entries()) {
      assert.equal(first[i]!.headers.get('x-cache'), 'MISS');
      assert.equal(again[i]!.headers.get('x-cache'), 'HIT');
      assert.equal(again[i]!.body, first[i]!.body);
      assert.equal((JSON.parse(first[i]!.body) as Array<{ id: number }>)[0]!.id, id + 5000);
    }
  });
});
