/**
 * The package as a user gets it: `npm pack` (run on a copy of the sources, since prepack
 * rebuilds dist/ and other test files use this checkout's dist/), installed globally into a
 * temporary prefix from the npm cache, then `flapi init`, `validate`, `test` and `dev` run
 * from a folder outside the repository with only that prefix's bin/ added to PATH.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../cli/config/package-root.js';

const run = promisify(execFile);
const repo = packageRoot();
const SOURCES = ['bin', 'cli', 'runtime', 'schemas', 'templates', 'docs', 'scripts', 'package.json', 'package-lock.json',
  'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE', 'CHANGELOG.md'];
const NPM_QUIET = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

interface Output { stdout: string; stderr: string }

async function flapi(env: NodeJS.ProcessEnv, cwd: string, ...args: string[]): Promise<Output> {
  return run('flapi', args, { cwd, env, timeout: 60_000 });
}

/** Runs `flapi dev`, waits for its URL, and returns it with a stop function. */
function dev(env: NodeJS.ProcessEnv, cwd: string): Promise<{ url: string; stop: () => Promise<number | null>; log: () => string }> {
  const child = spawn('flapi', ['dev', '--port', '0', '--no-watch'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`flapi dev did not start:\n${log}`)); }, 30_000);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      const url = /serving at (http:\/\/[^\s]+)/.exec(log)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      resolve({ url, log: () => log, stop: () => { child.kill('SIGTERM'); return exited; } });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`flapi dev exited (${code}):\n${log}`)); });
  });
}

test('the packed package installs globally and runs init, validate, test and dev outside the repository', { timeout: 240_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'flapi-install-'));
  try {
    const copy = join(root, 'src');
    for (const entry of SOURCES) if (existsSync(join(repo, entry))) cpSync(join(repo, entry), join(copy, entry), { recursive: true });
    symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const packed = join(root, 'pack');
    mkdirSync(packed);
    const { stdout: packJson } = await run('npm', ['pack', '--json', '--pack-destination', packed, ...NPM_QUIET], { cwd: copy, maxBuffer: 64 << 20 });
    const [info] = JSON.parse(packJson.slice(packJson.indexOf('['))) as { filename: string; name: string; files: { path: string }[] }[];
    const files = new Set(info!.files.map((f) => f.path));
    for (const needed of ['bin/flapi.js', 'dist/cli/main.js', 'dist/runtime/index.js', 'schemas/flapi.schema.json', 'templates/init/flapi.yaml', 'npm-shrinkwrap.json', 'LICENSE']) {
      assert.ok(files.has(needed), `the tarball holds ${needed}`);
    }
    assert.ok(![...files].some((f) => f.startsWith('test/') || f.startsWith('cli/')), 'no tests or TypeScript sources of the CLI');
    assert.equal(existsSync(join(copy, 'npm-shrinkwrap.json')), false, 'postpack removes the generated shrinkwrap');

    const prefix = join(root, 'prefix');
    const install = await run('npm', ['install', '-g', '--prefix', prefix, ...NPM_QUIET, join(packed, info!.filename)], { cwd: root, maxBuffer: 64 << 20 });
    assert.doesNotMatch(install.stderr, /EBADENGINE|install scripts/, install.stderr);
    const installed = join(prefix, 'lib', 'node_modules', info!.name);
    assert.equal(existsSync(join(installed, 'node_modules', 'typescript')), false, 'devDependencies stay out');

    // Only the prefix's bin/ and Node itself: no node_modules/.bin of the repository.
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: [join(prefix, 'bin'), join(process.execPath, '..'), '/usr/bin', '/bin'].join(delimiter) };
    for (const key of Object.keys(env)) if (key.startsWith('npm_')) delete env[key];
    const work = join(root, 'home');
    mkdirSync(work);
    assert.match((await flapi(env, work, '-v')).stdout.trim(), /^\d+\.\d+\.\d+/);

    const init = await flapi(env, work, 'init', 'x');
    assert.match(init.stdout, /Next:\n {2}flapi validate x\n {2}flapi test x\n {2}flapi dev x\n/, 'the next steps name the command on PATH');
    const project = join(work, 'x');
    assert.match(readFileSync(join(project, 'flapi.yaml'), 'utf8'), /\$schema=node_modules\/flapi-cli\/schemas\/flapi\.schema\.json/);
    assert.match((await flapi(env, project, 'validate')).stdout, /✓ 1 endpoint, 0 errors, 0 warnings/);
    assert.match((await flapi(env, project, 'test')).stdout, /3 passed, 0 failed/);
    // The installed package's own build, whatever times `npm install` gave its files.
    const built = await flapi(env, project, 'build', '.', '--out', join(work, 'built'), '--no-lockfile');
    assert.ok(existsSync(join(work, 'built', 'package.json')), built.stdout + built.stderr);

    const server = await dev(env, project);
    try {
      const response = await fetch(`${server.url}/airports?state=HI&limit=2`);
      assert.equal(response.status, 200, server.log());
      const body = await response.json() as { data: { state: string }[]; total_count: number };
      assert.equal(body.total_count, 16);
      assert.deepEqual(body.data.map((r) => r.state), ['HI', 'HI']);
    } finally {
      assert.equal(await server.stop(), 0, server.log());
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
