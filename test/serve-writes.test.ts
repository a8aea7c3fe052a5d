/**
 * Write endpoints next to reads that reuse prepared statements. DuckDB 1.5 statements
 * prepared before a MERGE changed rows read corrupt strings when run again; the runtime
 * prepares them again after every write, so reads on every pooled connection see the write.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger, startServer, type HttpServerHandle } from '../runtime/index.js';
import { endpoint, manifest } from './serve-fixture.js';

const INIT = `CREATE TABLE items (id INTEGER PRIMARY KEY, label VARCHAR);
INSERT INTO items SELECT i, 'item ' || i FROM range(1, 9) t(i);`;

const m = manifest([
  endpoint({ urlPath: '/items', sql: 'SELECT id, label FROM items ORDER BY id' }),
  endpoint({
    urlPath: '/items/:id',
    method: 'PUT',
    operation: { type: 'write', transaction: true, returnsData: false },
    sql: `MERGE INTO items AS t USING (SELECT {{params.id}}::INTEGER AS id, {{params.label}} AS label) AS s ON (t.id = s.id)
WHEN MATCHED THEN UPDATE SET label = s.label WHEN NOT MATCHED THEN INSERT (id, label) VALUES (s.id, s.label)`,
    params: [
      { name: 'id', in: 'path', required: true, validators: [{ type: 'int', min: 1 }] },
      { name: 'label', in: 'body', required: true, validators: [{ type: 'string', max: 40 }] },
    ],
  }),
], INIT);
m.server.poolSize = 3;

describe('writes and reused read statements', () => {
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer(m, { port: 0, logger: silentLogger });
  });
  after(() => server.close());

  const read = async (): Promise<{ id: number; label: string }[]> => {
    const res = await fetch(`${server.url}/items`);
    assert.equal(res.status, 200);
    return (await res.json()) as { id: number; label: string }[];
  };

  it('serves merged rows intact on every pooled connection', async () => {
    // Prepare the read on every connection of the pool first.
    for (const rows of await Promise.all(Array.from({ length: 6 }, read))) assert.equal(rows.length, 8);

    for (let round = 1; round <= 3; round++) {
      const label = `renamed in round ${round}`;
      const put = await fetch(`${server.url}/items/3`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ label }),
      });
      assert.equal(put.status, 200, await put.clone().text());
      const added = await fetch(`${server.url}/items/${20 + round}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ label: `new ${round}` }),
      });
      assert.equal(added.status, 200);

      for (const rows of await Promise.all(Array.from({ length: 6 }, read))) {
        assert.equal(rows.length, 8 + round);
        assert.equal(rows.find((r) => r.id === 3)?.label, label);
        for (const row of rows) assert.doesNotMatch(row.label, /\u0000/, `row ${row.id} read intact`);
      }
    }
  });
});
