import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { buildProject } from '../cli/build/index.js';

const run = promisify(execFile);
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const flapi = join(repo, 'bin', 'flapi.js');
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');

/** A project whose endpoints use every parameter location, many column types and a write. */
const FILES: Record<string, string> = {
  'flapi.yaml': `project-name: typing lab
template:
  path: ./sqls
connections:
  lab:
    properties:
      readings: ./data/readings.csv
    init: |
      CREATE TABLE readings AS SELECT * FROM read_csv('{{{conn.readings}}}', header = true);
      CREATE TABLE notes (id INTEGER, text VARCHAR);
duckdb:
  autoinstall_known_extensions: false
  autoload_known_extensions: false
`,
  'data/readings.csv': 'id,sensor,value\n1,a,1.5\n2,b,2.5\n',
  'sqls/values.yaml': `url-path: /values/:id
template-source: values.sql
connection: [lab]
with-pagination: false
request:
  - field-name: id
    field-in: path
    required: true
    validators: [{ type: int, min: 1 }]
  - field-name: unit
    field-in: query
    default: metric
    validators: [{ type: enum, allowedValues: [metric, imperial] }]
  - field-name: exact
    field-in: query
    validators: [{ type: boolean }]
  - field-name: tenant
    field-in: header
    validators: [{ type: string, max: 8 }]
`,
  'sqls/values.sql': `SELECT {{params.id}}::BIGINT AS big, 1.25::DECIMAL(10,2) AS price, [1, 2]::INTEGER[] AS list,
  {'a': 1, 'b c': 'x'} AS obj, MAP {'k': 1.5::DOUBLE} AS m, uuid() AS u, '\\x01'::BLOB AS bytes,
  DATE '2024-01-02' AS day, TIMESTAMPTZ '2024-01-02 03:04:05+00' AS at, INTERVAL 1 DAY AS span,
  1.5::FLOAT AS f, '{"a": 1}'::JSON AS doc, true AS flag
`,
  'sqls/readings.yaml': `url-path: /readings
template-source: readings.sql
connection: [lab]
`,
  'sqls/readings.sql': 'SELECT * FROM readings ORDER BY id\n',
  'sqls/add-note.yaml': `url-path: /notes
method: POST
template-source: add-note.sql
connection: [lab]
request:
  - field-name: id
    field-in: body
    required: true
    validators: [{ type: int }]
  - field-name: text
    field-in: body
    validators: [{ type: string, max: 100 }]
`,
  'sqls/add-note.sql': 'INSERT INTO notes VALUES ({{params.id}}, {{params.text}})\n',
  'sqls/tool-only.yaml': `mcp-tool:
  name: sensor_count
  description: Number of sensors.
template-source: tool-only.sql
connection: [lab]
`,
  'sqls/tool-only.sql': 'SELECT count(DISTINCT sensor) AS n FROM readings\n',
};

function writeProject(dir: string): void {
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

function textFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...textFilesUnder(path));
    else if (/\.(ts|json|md)$|Dockerfile$/.test(entry)) out.push(path);
  }
  return out;
}

describe('flapi build', () => {
  let work: string;
  let project: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'flapi-build-'));
    project = join(work, 'lab');
    writeProject(project);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('types every parameter location and column type, and the client compiles for browsers', async () => {
    const out = join(work, 'lab-out');
    const result = await buildProject({ dir: project, out, env: {} });
    assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
    const values = readFileSync(join(out, 'src', 'endpoints', 'get-values-id.ts'), 'utf8');
    for (const line of [
      'id: number;',
      "unit?: 'metric' | 'imperial';",
      'exact?: boolean;',
      'tenant?: string;',
      'big: WideInteger | null;',
      'price: string | null;',
      'list: Array<number | null> | null;',
      '"b c": string | null',
      'm: Record<string, number | null> | null;',
      'f: number | null;',
      'export type Response = Row[];',
    ]) {
      assert.ok(values.includes(line), `get-values-id.ts lacks \`${line}\`:\n${values}`);
    }
    const note = readFileSync(join(out, 'src', 'endpoints', 'post-notes.ts'), 'utf8');
    assert.match(note, /export type Response = WriteResult;/);
    assert.match(note, /\{ name: 'id', in: 'body', required: true \}/);
    assert.match(readFileSync(join(out, 'src', 'endpoints', 'get-readings.ts'), 'utf8'), /export type Response = Page<Row>;/);
    assert.equal(existsSync(join(out, 'src', 'endpoints', 'sensor-count.ts')), false, 'an MCP-only endpoint has no HTTP route');
    assert.match(readFileSync(join(out, 'src', 'client.ts'), 'utf8'), /getValuesById: \(params: GetValuesById\.Params, call\?: CallOptions\)/);

    // The client and the types it imports need nothing but the DOM's fetch: they compile for a browser.
    writeFileSync(join(out, 'tsconfig.browser.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'ES2022', moduleResolution: 'Bundler', lib: ['ES2023', 'DOM'], types: [], strict: true, noEmit: true },
      files: ['src/client.ts'],
    }));
    await run(process.execPath, [tsc, '-p', 'tsconfig.browser.json'], { cwd: out });
  });

  it('leaves no path of the build machine in the output, and copies the data', async () => {
    const out = join(work, 'portable-out');
    const result = await buildProject({ dir: project, out, env: {} });
    assert.equal(result.ok, true);
    assert.deepEqual(result.dataCopies.map((c) => c.to), ['data/readings.csv']);
    assert.equal(readFileSync(join(out, 'data', 'readings.csv'), 'utf8'), FILES['data/readings.csv']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { connections: { lab: { properties: { readings: string } } }; project: { root: string } };
    assert.equal(manifest.connections.lab.properties.readings, './data/readings.csv');
    assert.equal(manifest.project.root, '.');
    for (const file of textFilesUnder(out)) {
      assert.ok(!readFileSync(file, 'utf8').includes(work), `${file} names ${work}`);
    }
    assert.deepEqual(result.warnings, []);

    writeFileSync(join(project, 'flapi.yaml'), FILES['flapi.yaml']!.replace('project-name: typing lab', 'project-name: typing lab\nproject-description: "{{env.LAB_DESCRIPTION}}"').replace('  path: ./sqls', "  path: ./sqls\n  environment-whitelist: ['^LAB_.*']"));
    try {
      const baked = await buildProject({ dir: project, out: join(work, 'baked-out'), env: { LAB_DESCRIPTION: 'sensor readings of the lab' } });
      assert.equal(baked.ok, true, JSON.stringify(baked.diagnostics));
      assert.match(baked.warnings.join('\n'), /manifest\.json holds the values of \{\{env\.LAB_DESCRIPTION\}\}/);
    } finally {
      writeFileSync(join(project, 'flapi.yaml'), FILES['flapi.yaml']!);
    }

    const kept = await buildProject({ dir: project, out: join(work, 'absolute-out'), env: {}, copyData: false });
    assert.equal(existsSync(join(work, 'absolute-out', 'data')), false);
    assert.match(kept.warnings.join('\n'), /connection "lab" property "readings".*kept as an absolute path/);
  });

  it('rebuilds over an earlier build, keeping its install, and refuses any other folder', async () => {
    const out = join(work, 'rebuilt');
    assert.equal((await buildProject({ dir: project, out, env: {} })).ok, true);
    mkdirSync(join(out, 'node_modules', 'kept'), { recursive: true });
    writeFileSync(join(out, 'package-lock.json'), '{}');
    writeFileSync(join(out, 'src', 'endpoints', 'removed-endpoint.ts'), 'export {};\n');
    assert.equal((await buildProject({ dir: project, out, env: {} })).ok, true);
    assert.ok(existsSync(join(out, 'node_modules', 'kept')));
    assert.ok(existsSync(join(out, 'package-lock.json')));
    assert.equal(existsSync(join(out, 'src', 'endpoints', 'removed-endpoint.ts')), false);

    const other = join(work, 'not-a-build');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    await assert.rejects(buildProject({ dir: project, out: other, env: {} }), /not empty and holds no earlier flapi build/);
    assert.deepEqual(readdirSync(other), ['notes.txt']);
  });

  it('fails on any project error, writing nothing (exit 1); asks for --out (exit 2)', async () => {
    const broken = join(repo, 'test', 'fixtures', 'validate', 'sql-error');
    const out = join(work, 'broken-out');
    const failed = await run(process.execPath, [flapi, 'build', broken, '--out', out]).catch((e: { code: number; stderr: string }) => e);
    assert.equal((failed as { code: number }).code, 1);
    assert.match((failed as { stderr: string }).stderr, /error/);
    assert.equal(existsSync(out), false);
    const usage = await run(process.execPath, [flapi, 'build', project]).catch((e: { code: number; stderr: string }) => e);
    assert.equal((usage as { code: number }).code, 2);
    assert.match((usage as { stderr: string }).stderr, /--out/);
  });
});
