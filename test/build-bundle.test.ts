/**
 * The built server runs on the bundled runtime: `flapi build` vendors the bundle (no
 * runtime module loads on its own), the server starts on a baked artifact and answers,
 * and what a plain start on a local artifact never needs stays unloaded: the cloud SDKs,
 * the drivers, the MCP SDK, jose, croner, bcryptjs, Arrow and YAML. Every module the child
 * loads is recorded by a loader hook (ES modules) and a wrapper of Module._load (CommonJS,
 * which the hooks of Node 20 do not see). The project's node_modules links every package
 * this checkout has installed, so a module imported eagerly would load and show here.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { buildProject, vendoredRuntime } from '../cli/build/index.js';
import { runtimeSourcesHash } from '../cli/build/runtime-sources-hash.js';

const run = promisify(execFile);
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

const PROJECT: Record<string, string> = {
  'flapi.yaml': [
    'project-name: bundle-check',
    'template:\n  path: ./sqls',
    'connections:\n  db:\n    init: |\n      CREATE TABLE flights AS SELECT i AS id, \'flight \' || i AS label FROM range(1, 11) t(i);',
    'duckdb:\n  autoinstall_known_extensions: false\n  autoload_known_extensions: false',
    'mcp:\n  enabled: true',
  ].join('\n'),
  'sqls/flight.yaml': 'url-path: /flights/:id\nwith-pagination: false\ntemplate-source: flight.sql\nconnection: [db]\nrequest:\n  - field-name: id\n    field-in: path\n    required: true\n    validators:\n      - type: int\n',
  'sqls/flight.sql': 'SELECT id, label FROM flights WHERE id = {{{params.id}}}\n',
};

/** Registers the ES module hook and wraps Module._load; both append to $LOAD_LOG. */
const RECORDER = `import { register } from 'node:module';
import Module from 'node:module';
import { appendFileSync } from 'node:fs';
register(new URL('./hooks.mjs', import.meta.url));
const load = Module._load;
Module._load = function (request, parent, isMain) {
  try { appendFileSync(process.env.LOAD_LOG, Module._resolveFilename(request, parent, isMain) + '\\n'); } catch {}
  return load.apply(this, arguments);
};
`;
const HOOKS = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.LOAD_LOG, url + '\\n');
  return next(url, context);
}
`;

/** Chunks of the bundle that hold what a plain start must not load. */
const LAZY_CHUNKS = /\/(s3-store|gcs-store|https-store|postgres-source|mcp-server|arrow-stream|openapi-yaml|schedule|bcryptjs)-[A-Z0-9]+\.js$/;
const OPTIONAL_PACKAGES = ['@aws-sdk/', '@google-cloud/', 'pg/', 'pg-copy-streams/', 'ioredis/', 'jose/', '@modelcontextprotocol/', 'croner/', 'bcryptjs/', 'apache-arrow/', 'yaml/'];

describe('the built server on the bundled runtime', { timeout: 180_000 }, () => {
  let work: string;
  let out: string;
  let artifact: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'flapi-bundle-'));
    const project = join(work, 'project');
    for (const [file, text] of Object.entries(PROJECT)) {
      mkdirSync(dirname(join(project, file)), { recursive: true });
      writeFileSync(join(project, file), text);
    }
    out = join(work, 'out');
    const built = await buildProject({ dir: project, out, env: {} });
    assert.ok(built.ok, JSON.stringify(built.diagnostics));
    artifact = join(work, 'bundle-check.duckdb');
    await run(process.execPath, [join(repo, 'bin', 'flapi.js'), 'bake', project, '--out', artifact], { cwd: work });
    // Offline, as the benchmark does it: every installed package, and the vendored runtime.
    const modules = join(out, 'node_modules');
    mkdirSync(join(modules, '@flapi'), { recursive: true });
    for (const name of readdirSync(join(repo, 'node_modules'))) {
      if (!name.startsWith('.') && name !== '@flapi') symlinkSync(join(repo, 'node_modules', name), join(modules, name));
    }
    symlinkSync(join(out, 'vendor', 'flapi-runtime'), join(modules, '@flapi', 'runtime'));
    await run(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: out });
    writeFileSync(join(work, 'record-loads.mjs'), RECORDER);
    writeFileSync(join(work, 'hooks.mjs'), HOOKS);
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('vendors the bundle and the declarations, no runtime module of its own', () => {
    const vendor = join(out, 'vendor', 'flapi-runtime');
    const pkg = JSON.parse(readFileSync(join(vendor, 'package.json'), 'utf8')) as { exports: Record<string, { default: string }> };
    assert.deepEqual(Object.values(pkg.exports).map((e) => e.default), ['./bundle/index.js', './bundle/aws-lambda.js']);
    const js = (readdirSync(vendor, { recursive: true }) as string[]).filter((f) => f.endsWith('.js') && !f.startsWith('bundle/') && !f.startsWith('docs/assets/'));
    assert.deepEqual(js, []);
    // Each lazily loaded part is a chunk of its own, so leaving it unloaded below means its packages stay unread.
    const chunks = readdirSync(join(vendor, 'bundle'));
    for (const name of LAZY_CHUNKS.source.match(/\(([^)]*)\)/)![1]!.split('|')) {
      assert.ok(chunks.some((c) => LAZY_CHUNKS.test(`/${c}`) && c.startsWith(`${name}-`)), `a ${name} chunk in ${chunks.join(', ')}`);
    }
  });

  it('starts on a baked artifact, answers, and loads neither the runtime module by module nor an unused optional package', async () => {
    const log = join(work, 'loads.log');
    const child = spawn(process.execPath, ['--import', pathToFileURL(join(work, 'record-loads.mjs')).href, 'dist/server.js'], {
      cwd: out,
      env: { ...process.env, PORT: '0', FLAPI_HOST: '127.0.0.1', FLAPI_LOG_LEVEL: 'error', FLAPI_DATABASE: artifact, LOAD_LOG: log },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const onData = (chunk: Buffer): void => {
          output += chunk.toString();
          const match = /endpoints at (http:\/\/\S+)/.exec(output);
          if (match) resolve(match[1]!);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        void exited.then((code) => reject(new Error(`the built server exited (${code}):\n${output}`)));
      });
      const res = await fetch(`${url}/flights/3`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), [{ id: 3, label: 'flight 3' }]);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }

    const loaded = [...new Set(readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('/') || l.startsWith('file:')))]
      .map((l) => (l.startsWith('file:') ? fileURLToPath(l) : l));
    const runtime = loaded.filter((f) => f.includes('/vendor/flapi-runtime/')).map((f) => relative(join(out, 'vendor', 'flapi-runtime'), f));
    assert.ok(runtime.includes('bundle/index.js'), runtime.join('\n'));
    assert.deepEqual(runtime.filter((f) => !f.startsWith('bundle/')), [], 'only bundle files');
    assert.ok(runtime.length <= 12, `a handful of bundle files, not the runtime's modules: ${runtime.join(', ')}`);
    assert.deepEqual(runtime.filter((f) => LAZY_CHUNKS.test(`/${f}`)), [], 'no chunk a request may never need');
    const packages = loaded.filter((f) => f.includes('/node_modules/')).map((f) => f.slice(f.lastIndexOf('/node_modules/') + '/node_modules/'.length));
    assert.deepEqual(packages.filter((p) => OPTIONAL_PACKAGES.some((o) => p.startsWith(o))), [], 'no optional package');
    assert.deepEqual([...new Set(packages.map((p) => p.split('/').slice(0, p.startsWith('@') ? 2 : 1).join('/')))].sort(),
      ['@duckdb/node-bindings', '@duckdb/node-bindings-linux-x64', 'detect-libc'].filter((p) => packages.some((q) => q.startsWith(`${p}/`))),
      'from node_modules only DuckDB\'s native binding');
  });
});

describe('vendoredRuntime', () => {
  it('takes the bundle, its external packages as dependencies, and refuses a bundle missing or built from other sources', () => {
    const root = mkdtempSync(join(tmpdir(), 'flapi-vendor-'));
    try {
      const write = (file: string, text: string): void => {
        mkdirSync(dirname(join(root, file)), { recursive: true });
        writeFileSync(join(root, file), text);
      };
      write('package.json', JSON.stringify({ version: '1.2.3', dependencies: { koa: '^3.0.0' }, devDependencies: { '@types/koa': '^3.0.0', '@types/node': '^20.0.0' } }));
      write('dist/runtime/index.js', 'export {};\n');
      write('dist/runtime/index.d.ts', "export type { Context } from 'koa';\n");
      assert.throws(() => vendoredRuntime(root), /the bundled runtime is missing .*npm run build/);
      write('dist/runtime/bundle/index.js', 'export {};\n');
      write('dist/runtime/bundle/bundle.json', JSON.stringify({ entries: ['index.js'], external: { '@duckdb/node-bindings': '1.0.0' } }));
      const runtime = vendoredRuntime(root);
      assert.deepEqual(runtime.files.map((f) => f.to).sort(), ['bundle/index.js', 'index.d.ts']);
      assert.deepEqual(runtime.dependencies, { '@duckdb/node-bindings': '1.0.0' });
      assert.deepEqual(runtime.typeDependencies, { '@types/koa': '^3.0.0', '@types/node': '^20.0.0' });
      // With its sources beside it (a clone, or an installed package): fresh while they are the ones it was built from.
      write('runtime/index.ts', "export type { Context } from 'koa';\n");
      write('dist/runtime/bundle/bundle.json', JSON.stringify({ entries: ['index.js'], external: { '@duckdb/node-bindings': '1.0.0' }, sources: runtimeSourcesHash(join(root, 'runtime')) }));
      // Modification times say nothing: `npm install` unpacks files in any order.
      const past = new Date(Date.now() - 60_000);
      utimesSync(join(root, 'dist/runtime/bundle/bundle.json'), past, past);
      utimesSync(join(root, 'dist/runtime/index.js'), past, past);
      assert.deepEqual(vendoredRuntime(root).files.map((f) => f.to).sort(), ['bundle/index.js', 'index.d.ts']);
      write('runtime/index.ts', "export type { Context, Next } from 'koa';\n");
      assert.throws(() => vendoredRuntime(root), /the built runtime is older than its sources .*run `npm run build`/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
