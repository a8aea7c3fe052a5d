import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger, startServer } from '../runtime/index.js';
import { tempProject } from './support/cache-project.js';

// `flapi cache status|refresh` through the real CLI against a running server.

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'flapi.js');

function flapi(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env: { ...process.env, FLAPI_ADMIN_TOKEN: '', ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

const yaml = (port: number) => `project-name: cli
http-port: ${port}
template:
  path: ./sqls
  environment-whitelist: ['^TEST_ADMIN_TOKEN$']
connections:
  files:
    properties:
      data: ./data.csv
admin:
  token: '{{env.TEST_ADMIN_TOKEN}}'
`;

test('flapi cache status and refresh talk to the running server, with the admin token', async () => {
  const p = tempProject({
    'flapi.yaml': yaml(8080),
    'data.csv': 'id,name\n1,a\n2,b\n',
    'sqls/items.yaml': 'url-path: /items\ntemplate-source: items.sql\nconnection: [files]\ncache:\n  table: items\n  template-file: items-cache.sql\n',
    'sqls/items.sql': 'SELECT * FROM items ORDER BY id',
    'sqls/items-cache.sql': "SELECT * FROM read_csv('{{{conn.data}}}')",
  });
  const env = { TEST_ADMIN_TOKEN: 's3cret-token' };
  const server = await startServer(await p.compile(env), { port: 0, logger: silentLogger, cacheRefresh: 'manual', env });
  try {
    // The CLI finds the server through the project's http-port.
    p.write('flapi.yaml', yaml(server.port));
    const anonymous = await flapi(['cache', 'status', p.dir]);
    assert.equal(anonymous.code, 2, 'the cache report needs the admin token');
    assert.match(anonymous.stderr, /--admin-token or set FLAPI_ADMIN_TOKEN/);
    const empty = await flapi(['cache', 'status', p.dir], { FLAPI_ADMIN_TOKEN: 's3cret-token' });
    assert.equal(empty.code, 1, 'a cache without data is not fresh');
    assert.match(empty.stdout, /get_items\s+main\.items \(full, duckdb\)\s+empty\s+0 rows\s+refreshed never/);

    const refused = await flapi(['cache', 'refresh', p.dir]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--admin-token or set FLAPI_ADMIN_TOKEN/);

    const refreshed = await flapi(['cache', 'refresh', p.dir], { FLAPI_ADMIN_TOKEN: 's3cret-token' });
    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.match(refreshed.stdout, /✓ get_items: snapshot \d+ \(full\), 2 rows written, 2 rows/);

    p.write('data.csv', 'id,name\n1,a\n2,b\n3,c\n');
    const named = await flapi(['cache', 'refresh', p.dir, '--endpoint', 'get_items', '--admin-token', 's3cret-token', '--url', server.url]);
    assert.equal(named.code, 0, named.stderr);
    assert.match(named.stdout, /3 rows written/);

    const status = await flapi(['cache', 'status', p.dir], { FLAPI_ADMIN_TOKEN: 's3cret-token' });
    assert.equal(status.code, 0);
    assert.match(status.stdout, /get_items\s+main\.items \(full, duckdb\)\s+fresh\s+3 rows\s+refreshed \d+s ago/);
    const json = JSON.parse((await flapi(['cache', 'status', p.dir, '--json'], { FLAPI_ADMIN_TOKEN: 's3cret-token' })).stdout) as { caches: { snapshots: unknown[] }[] };
    assert.equal(json.caches[0]!.snapshots.length, 2);

    const unknown = await flapi(['cache', 'refresh', p.dir, '-e', 'nope'], { FLAPI_ADMIN_TOKEN: 's3cret-token' });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /✗ nope: no cache for endpoint `nope`/);
  } finally {
    await server.close();
  }
  const down = await flapi(['cache', 'status', p.dir]);
  assert.equal(down.code, 2);
  assert.match(down.stderr, /cannot reach a flapi server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  p.remove();
});
