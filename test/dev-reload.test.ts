import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startDevSession, type DevSession } from '../cli/dev/dev-session.js';
import { silentLogger } from '../runtime/app/index.js';

const FLAPI_YAML = `project-name: reload
template:
  path: ./sqls
connections:
  db:
    init: |
      CREATE TABLE items AS SELECT i AS id, 'item ' || i AS label FROM range(1, 6) t(i);
duckdb:
  autoinstall_known_extensions: false
  autoload_known_extensions: false
`;

const ENDPOINT_YAML = `url-path: /items
template-source: items.sql
connection: [db]
with-pagination: false
`;

async function waitFor<T>(probe: () => Promise<T>, ok: (value: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await probe();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    value = await probe();
  }
  return value;
}

describe('flapi dev reload', () => {
  let dir: string;
  let session: DevSession;
  const errors: string[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flapi-dev-'));
    await mkdir(join(dir, 'sqls'));
    await writeFile(join(dir, 'flapi.yaml'), FLAPI_YAML);
    await writeFile(join(dir, 'sqls', 'items.yaml'), ENDPOINT_YAML);
    await writeFile(join(dir, 'sqls', 'items.sql'), 'SELECT id FROM items WHERE id <= 2 ORDER BY id\n');
    session = await startDevSession({
      dir,
      port: '0',
      env: {},
      logger: silentLogger,
      out: () => {},
      err: (t) => void errors.push(t),
    });
    await session.watching;
  });

  after(async () => {
    await session?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const items = async (): Promise<unknown> => (await fetch(`${session.url}/items`)).json();

  it('serves the first version', async () => {
    assert.ok(session.url, errors.join(''));
    assert.deepEqual(await items(), [{ id: 1 }, { id: 2 }]);
  });

  it('serves an edited template on the same port', async () => {
    const url = session.url;
    await writeFile(join(dir, 'sqls', 'items.sql'), 'SELECT id, label FROM items WHERE id = 3\n');
    const body = await waitFor(items, (b) => JSON.stringify(b) === '[{"id":3,"label":"item 3"}]', 15_000);
    assert.deepEqual(body, [{ id: 3, label: 'item 3' }]);
    assert.equal(session.url, url);
  });

  it('keeps the last good version when an edit breaks the project', async () => {
    const generation = session.generation;
    errors.length = 0;
    await writeFile(join(dir, 'sqls', 'items.sql'), 'SELECT id FROM items WHERE {{#params.x}\n');
    await waitFor(async () => errors.join(''), (t) => t.includes('last good version'), 3000);
    assert.match(errors.join(''), /items\.sql:\d+:\d+/);
    assert.equal(session.generation, generation);
    assert.deepEqual(await items(), [{ id: 3, label: 'item 3' }]);
  });

  it('recovers once the edit is fixed', async () => {
    await writeFile(join(dir, 'sqls', 'items.sql'), 'SELECT count(*)::INT AS n FROM items\n');
    const body = await waitFor(items, (b) => JSON.stringify(b) === '[{"n":5}]', 15_000);
    assert.deepEqual(body, [{ n: 5 }]);
  });
});
