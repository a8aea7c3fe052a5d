/**
 * Finding 5: after connection init the database is locked down. A request can no longer
 * read an arbitrary file, glob outside the project, fetch a URL or load an extension; it
 * gets a 403 that names no path. What the project names (its folder, the paths in
 * connection properties, `duckdb.allowed-directories`) stays readable, `duckdb.external-access:
 * true` turns the lockdown off, and `flapi validate` warns when a request value reaches
 * the file argument of a table function.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../runtime/db/index.js';
import { silentLogger, startServer, type HttpServerHandle } from '../runtime/index.js';
import { manifest } from './serve-fixture.js';
import { tempProject, type TempProject } from './support/cache-project.js';
import { validateJson } from './support/validate-json.js';

const CSV = 'a,b\n1,2\n';

function projectFiles(outside: string, extra = ''): Record<string, string> {
  return {
    'flapi.yaml': `project-name: lockdown
template:
  path: ./sqls
duckdb:
  threads: 1
${extra}connections:
  db:
    properties:
      elsewhere: ${outside}/named
      single: ${outside}/single.csv
    init: CREATE TABLE t AS SELECT 1 AS x;
`,
    'data/rows.csv': CSV,
    'sqls/file.yaml': `url-path: /file
template-source: file.sql
connection: [db]
request:
  - field-name: f
    field-in: query
    required: true
    validators:
      - type: string
`,
    'sqls/file.sql': "SELECT * FROM read_csv('{{{params.f}}}', header = true)",
    'sqls/glob.yaml': 'url-path: /glob\ntemplate-source: glob.sql\nconnection: [db]\nrequest:\n  - field-name: p\n    field-in: query\n    required: true\n',
    'sqls/glob.sql': 'SELECT file FROM glob({{params.p}})',
  };
}

describe('DuckDB is locked down after init', () => {
  let outside: string;
  let project: TempProject;
  let server: HttpServerHandle;
  const read = async (f: string) => {
    const r = await fetch(`${server.url}/file?f=${encodeURIComponent(f)}`);
    return { status: r.status, text: await r.text() };
  };

  before(async () => {
    outside = mkdtempSync(join(tmpdir(), 'flapi-outside-'));
    mkdirSync(join(outside, 'named'));
    mkdirSync(join(outside, 'hidden'));
    for (const file of ['named/n.csv', 'single.csv', 'hidden/secret.csv', 'sibling.csv']) writeFileSync(join(outside, file), CSV);
    project = tempProject(projectFiles(outside), 'flapi-lockdown-');
    server = await startServer(await project.compile(), { port: 0, logger: silentLogger });
  });
  after(async () => {
    await server.close();
    project.remove();
    rmSync(outside, { recursive: true, force: true });
  });

  it('refuses any file outside what the project names, with a 403 naming no path', async () => {
    for (const f of ['/etc/passwd', join(outside, 'hidden/secret.csv'), join(outside, 'sibling.csv'), `${project.dir}/../${outside.split('/').pop()}/hidden/secret.csv`]) {
      const r = await read(f);
      assert.equal(r.status, 403, `${f}: ${r.text}`);
      assert.ok(!r.text.includes('passwd') && !r.text.includes(outside) && !r.text.includes('/'), r.text.replace(/"request_id":"[^"]*"/, ''));
    }
  });

  it('refuses URLs and the extension load they would need', async () => {
    for (const f of ['http://127.0.0.1:9/x.csv', 's3://bucket/x.csv', 'https://example.com/x.csv']) {
      const r = await read(f);
      assert.equal(r.status, 403, `${f}: ${r.text}`);
    }
  });

  it('refuses globs outside the project', async () => {
    for (const p of ['/etc/*', `${outside}/*/*`]) {
      const r = await fetch(`${server.url}/glob?p=${encodeURIComponent(p)}`);
      assert.equal(r.status, 403, p);
    }
    const inside = await fetch(`${server.url}/glob?p=${encodeURIComponent(`${project.dir}/data/*`)}`);
    assert.equal(inside.status, 200);
  });

  it('still reads the project folder and the paths named in connection properties', async () => {
    for (const f of [join(project.dir, 'data/rows.csv'), join(outside, 'named/n.csv'), join(outside, 'single.csv')]) {
      const r = await read(f);
      assert.equal(r.status, 200, `${f}: ${r.text}`);
      assert.deepEqual((JSON.parse(r.text) as { data: unknown }).data, [{ a: 1, b: 2 }]);
    }
    assert.equal((await fetch(`${server.url}/_flapi/health`)).status, 200);
  });
});

describe('widening the lockdown', () => {
  let outside: string;
  before(() => {
    outside = mkdtempSync(join(tmpdir(), 'flapi-outside-'));
    mkdirSync(join(outside, 'extra'));
    writeFileSync(join(outside, 'extra/e.csv'), CSV);
    writeFileSync(join(outside, 'other.csv'), CSV);
  });
  after(() => rmSync(outside, { recursive: true, force: true }));

  async function statusFor(extra: string, file: string): Promise<number> {
    const project = tempProject(projectFiles(outside, extra), 'flapi-lockdown-');
    const server = await startServer(await project.compile(), { port: 0, logger: silentLogger });
    try {
      return (await fetch(`${server.url}/file?f=${encodeURIComponent(file)}`)).status;
    } finally {
      await server.close();
      project.remove();
    }
  }

  it('duckdb.allowed-directories adds folders', async () => {
    const extra = `  allowed-directories:\n    - ${outside}/extra\n`;
    assert.equal(await statusFor(extra, join(outside, 'extra/e.csv')), 200);
    assert.equal(await statusFor(extra, join(outside, 'other.csv')), 403);
  });

  it('duckdb.external-access: true leaves DuckDB open', async () => {
    assert.equal(await statusFor('  external-access: true\n', join(outside, 'other.csv')), 200);
  });
});

describe('a database file opened again while locked (a flapi dev reload)', () => {
  it('runs init again, skipping the settings the lock refuses, and stays locked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flapi-relock-'));
    const m = manifest([], "SET threads = 1;\nCREATE TABLE IF NOT EXISTS t AS SELECT 1 AS x;");
    m.duckdb.dbPath = join(dir, 'shared.duckdb');
    const first = await openDatabase(m, { poolSize: 1 });
    try {
      const second = await openDatabase(m, { poolSize: 1 });
      try {
        assert.deepEqual((await second.query('SELECT x FROM t')).rows, [{ x: 1 }]);
        await assert.rejects(second.query("SELECT * FROM read_csv('/etc/passwd')"), /Permission Error/);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('flapi validate on request values that choose a file', () => {
  const files = (validator: string): Record<string, string> => ({
    'flapi.yaml': 'project-name: files\ntemplate:\n  path: ./sqls\nconnections:\n  db:\n    properties:\n      dir: ./data\n    init: CREATE TABLE t AS SELECT 1 AS x;\n',
    'data/a.csv': CSV,
    'sqls/pick.yaml': `url-path: /pick\ntemplate-source: pick.sql\nconnection: [db]\nrequest:\n  - field-name: name\n    field-in: query\n    required: true\n    validators:\n      - ${validator}\n`,
    'sqls/pick.sql': "SELECT *\nFROM read_csv('{{{conn.dir}}}/{{params.name}}.csv',\n  header = true)",
  });

  it('warns at the tag, and --strict fails', async () => {
    const project = tempProject(files('type: string'), 'flapi-lockdown-');
    try {
      const loose = await validateJson(project.dir);
      const found = loose.diagnostics.find((d) => d.code === 'request-chooses-file');
      assert.ok(found, JSON.stringify(loose.diagnostics));
      assert.equal(found.severity, 'warning');
      assert.ok(found.file.endsWith('pick.sql'));
      assert.equal(found.line, 2);
      assert.equal(found.column, 31);
      assert.match(found.message, /params\.name reaches the file argument of read_csv\(\)/);
      assert.equal(loose.code, 0);
      const strict = await validateJson(project.dir, true);
      assert.equal(strict.code, 1);
    } finally {
      project.remove();
    }
  });

  it('says nothing when an enum validator limits the value', async () => {
    const project = tempProject(files("type: enum\n        allowedValues: [a]"), 'flapi-lockdown-');
    try {
      const { diagnostics } = await validateJson(project.dir, true);
      assert.equal(diagnostics.find((d) => d.code === 'request-chooses-file'), undefined);
    } finally {
      project.remove();
    }
  });
});
