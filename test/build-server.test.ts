/**
 * The built project, tried as a user would: `flapi build examples/flights --out OUT`
 * (which writes package-lock.json), `npm ci`, `npm run build`, `tsc --noEmit`, start it,
 * and require the same answers as `flapi dev` on the same project (status, body bytes,
 * content type). Only the packages the project's features use are installed. The typed
 * client compiles against OUT's types and fetches rows, also as the standalone package
 * in `client/`; the generated Lambda handler answers API Gateway events with the same
 * bodies. One npm install serves every check.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startDevSession, type DevSession } from '../cli/dev/dev-session.js';
import { silentLogger } from '../runtime/app/index.js';
import { functionUrlEvent, v1Event, v2Event, type EventInput } from './support/lambda-events.js';

const run = promisify(execFile);
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const flights = join(repo, 'examples', 'flights');

/** Requests covering every endpoint, the error paths and every response format. */
const REQUESTS: { path: string; accept?: string }[] = [
  { path: '/flights/3' },
  { path: '/flights/0' },
  { path: '/flights/abc' },
  { path: '/flights/99999999' },
  { path: '/flights?origin=ORD&destination=LAX&min_delay=30&limit=5' },
  { path: '/flights?date_from=2001-03-01&date_to=2001-03-01&limit=4&offset=8' },
  { path: '/flights?limit=3&format=ndjson' },
  { path: '/flights?limit=3', accept: 'text/csv' },
  { path: '/flights?limit=5000' },
  { path: '/airports?limit=3' },
  { path: '/airports?sort=city&state=CA&limit=5&offset=5' },
  { path: '/airports?sort=elevation' },
  { path: '/airports/ORD' },
  { path: '/airports/zz' },
  { path: '/airports/ORD/delays?date_from=2001-02-01&date_to=2001-02-03' },
  { path: '/routes/busiest?origin=ORD&limit=3' },
  { path: '/routes/busiest?state=CA&limit=2&offset=2' },
  { path: '/exports/flights?origin=ORD&max_rows=5&format=csv' },
  { path: '/exports/flights?origin=SFO&max_rows=20&format=arrow' },
  { path: '/exports/flights?origin=SFO&max_rows=20&format=parquet' },
  { path: '/exports/flights?format=xml' },
  { path: '/nope' },
  { path: '/_flapi/health' },
  { path: '/openapi.json' },
  { path: '/doc.yaml' },
  { path: '/docs' },
  { path: '/docs/docs.js' },
];

interface Answer {
  status: number;
  type: string | null;
  body: Buffer;
}

async function ask(base: string, request: { path: string; accept?: string }): Promise<Answer> {
  const res = await fetch(base + request.path, request.accept ? { headers: { accept: request.accept } } : {});
  const body = Buffer.from(await res.arrayBuffer());
  // The OpenAPI document and the docs page name the server they were fetched from: the port differs by design.
  const text = ['/openapi.json', '/doc.yaml', '/docs'].includes(request.path) ? Buffer.from(body.toString('utf8').split(base).join('<server>')) : body;
  return { status: res.status, type: res.headers.get('content-type'), body: text };
}

function startBuilt(out: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd: out,
    env: { ...process.env, PORT: '0', FLAPI_HOST: '127.0.0.1', FLAPI_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /endpoints at (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1]! });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the built server exited (${code}):\n${output}`)));
  });
}

const CONSUMER = `import { createClient, FlapiError } from '../src/client.js';
import type { GetFlightsById } from '../src/endpoints/index.js';

const api = createClient({ baseUrl: 'http://localhost:8080', headers: { authorization: 'Bearer x' } });

export async function check(): Promise<void> {
  const rows: GetFlightsById.Row[] = await api.getFlightsById({ id: 3 });
  const origin: string | null | undefined = rows[0]?.origin;
  const page = await api.findAirports({ sort: 'city', state: 'CA', limit: 2 });
  const total: number | null = page.total_count;
  const next = await api.nextPage(page);
  const name: string | null | undefined = next?.data[0]?.name;
  void [origin, total, name];
  // @ts-expect-error an id is a number
  await api.getFlightsById({ id: 'x' });
  // @ts-expect-error sort takes one of the listed columns
  await api.findAirports({ sort: 'country' });
  // @ts-expect-error the id is required
  await api.getFlightsById({});
  try {
    await api.getFlights({ origin: 'ORD' });
  } catch (e) {
    if (e instanceof FlapiError) {
      const status: number = e.status;
      void status;
    }
  }
}
`;

const LAMBDA_RUNNER = `
const { handler } = await import(process.argv[1]);
let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const event of JSON.parse(input)) results.push(await handler(event, { awsRequestId: 'test-request' }));
process.stdout.write(JSON.stringify(results));
process.exit(0);
`;

describe('flapi build: the built flights server', { timeout: 240_000 }, () => {
  let work: string;
  let out: string;
  let dev: DevSession;
  let built: { child: ChildProcess; url: string } | undefined;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'flapi-built-'));
    out = join(work, 'out');
    const build = await run(process.execPath, [join(repo, 'bin', 'flapi.js'), 'build', flights, '--out', out], { cwd: work });
    assert.match(build.stdout, /built 7 endpoints/);
    assert.match(build.stdout, /\n {2}npm ci\n/, 'the lockfile was written, so the next step is npm ci');
    assert.ok(existsSync(join(out, 'package-lock.json')));
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    await run(npm, ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: out, timeout: 180_000 });
    await run(npm, ['run', 'build'], { cwd: out });
    dev = await startDevSession({ dir: flights, port: '0', watch: false, env: {}, logger: silentLogger, out: () => {}, err: () => {} });
    built = await startBuilt(out);
  });

  after(async () => {
    if (built) {
      const exited = new Promise((resolve) => built!.child.once('exit', resolve));
      built.child.kill('SIGTERM');
      await exited;
    }
    await dev?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installs no SDK or driver of a feature the project does not use', () => {
    for (const unused of ['@aws-sdk/client-s3', '@google-cloud/storage', 'pg', 'pg-copy-streams', 'ioredis']) {
      assert.equal(existsSync(join(out, 'node_modules', unused)), false, `${unused} is installed`);
    }
    // jose is not asked for (no JWT auth), though the MCP SDK brings it along.
    const pkg = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.equal(pkg.dependencies['jose'], undefined);
    // Used by flights: DuckDB, and MCP (mcp.enabled).
    assert.ok(existsSync(join(out, 'node_modules', '@duckdb', 'node-api')));
    assert.ok(existsSync(join(out, 'node_modules', '@modelcontextprotocol', 'sdk')));
  });

  it('names the package to install when the environment asks for a left-out feature', async () => {
    const started = await run(process.execPath, ['dist/server.js'], {
      cwd: out,
      env: { ...process.env, PORT: '0', FLAPI_HOST: '127.0.0.1', FLAPI_DATABASE: 's3://bucket/flights.duckdb' },
      timeout: 60_000,
    }).then(() => undefined, (err: { code?: number; stderr?: string }) => err);
    assert.ok(started, 'the server refused to start');
    assert.match(started.stderr ?? '', /s3:\/\/ artifacts needs the npm package @aws-sdk\/client-s3, which is not installed here.*npm install @aws-sdk\/client-s3/);
  });

  it('passes tsc --noEmit in the output folder', async () => {
    const tsc = join(out, 'node_modules', 'typescript', 'bin', 'tsc');
    await run(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.json'], { cwd: out });
  });

  it('answers every request exactly as flapi dev does', async () => {
    for (const request of REQUESTS) {
      const [expected, actual] = [await ask(dev.url!, request), await ask(built!.url, request)];
      const label = `${request.path}${request.accept ? ` (Accept: ${request.accept})` : ''}`;
      assert.equal(actual.status, expected.status, `${label}: status`);
      assert.equal(actual.type, expected.type, `${label}: content type`);
      assert.ok(actual.body.equals(expected.body), `${label}: body differs\n dev:   ${expected.body.subarray(0, 200).toString()}\n built: ${actual.body.subarray(0, 200).toString()}`);
    }
    const statuses = new Set((await Promise.all(REQUESTS.map((r) => ask(built!.url, r)))).map((a) => a.status));
    assert.deepEqual([...statuses].sort(), [200, 400, 404, 406]);
  });

  it('has a typed client that compiles against the output and fetches rows', async () => {
    const consumer = join(out, 'consumer-check');
    mkdirSync(consumer, { recursive: true });
    writeFileSync(join(consumer, 'consumer.ts'), CONSUMER);
    const tsc = join(out, 'node_modules', 'typescript', 'bin', 'tsc');
    await run(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', '--types', 'node', '--skipLibCheck', join(consumer, 'consumer.ts')], { cwd: out });

    const client = (await import(pathToFileURL(join(out, 'dist', 'client.js')).href)) as typeof import('./golden/build/flights/src/client.js');
    const api = client.createClient({ baseUrl: built!.url });
    const expected = (await (await fetch(`${dev.url}/flights/3`)).json()) as unknown;
    assert.deepEqual(await api.getFlightsById({ id: 3 }), expected);
    const page = await api.findAirports({ sort: 'city', state: 'CA', limit: 2 });
    assert.equal(page.data.length, 2);
    const second = await api.nextPage(page);
    assert.deepEqual(second, await (await fetch(`${dev.url}/airports?sort=city&state=CA&limit=2&offset=2`)).json());
    await assert.rejects(api.getFlightsById({ id: 0 }), (e: unknown) => {
      assert.ok(e instanceof client.FlapiError);
      assert.equal(e.status, 400);
      assert.equal(e.body.errors?.[0]?.field, 'id');
      return true;
    });
  });

  it('has a standalone client package with no dependencies, usable away from the server', async () => {
    const pkg = JSON.parse(readFileSync(join(out, 'client', 'package.json'), 'utf8')) as { name: string; dependencies?: object; exports: Record<string, { default: string }> };
    assert.equal(pkg.name, 'flights-client');
    assert.equal(pkg.dependencies, undefined);
    // Installed into a front end's node_modules, far from the server's.
    const app = join(work, 'front-end');
    const installed = join(app, 'node_modules', 'flights-client');
    mkdirSync(installed, { recursive: true });
    cpSync(join(out, 'client', 'package.json'), join(installed, 'package.json'));
    cpSync(join(out, 'client', 'dist'), join(installed, 'dist'), { recursive: true });
    writeFileSync(join(app, 'package.json'), '{"type":"module"}');
    writeFileSync(join(app, 'main.js'), `import { createClient } from 'flights-client';\nconst api = createClient({ baseUrl: process.argv[2] });\nprocess.stdout.write(JSON.stringify(await api.getFlightsById({ id: 3 })));\n`);
    const answer = await run(process.execPath, ['main.js', built!.url], { cwd: app });
    assert.deepEqual(JSON.parse(answer.stdout), await (await fetch(`${dev.url}/flights/3`)).json());
  });

  it('has a Lambda handler that answers API Gateway events as the server does', async () => {
    const cases: { input: EventInput; path: string }[] = [
      { input: { method: 'GET', path: '/flights', query: { origin: 'ORD', limit: '3' } }, path: '/flights?origin=ORD&limit=3' },
      { input: { method: 'GET', path: '/flights/3' }, path: '/flights/3' },
      { input: { method: 'GET', path: '/airports/ORD/delays', query: { date_from: '2001-02-01', date_to: '2001-02-02' } }, path: '/airports/ORD/delays?date_from=2001-02-01&date_to=2001-02-02' },
      { input: { method: 'GET', path: '/nope' }, path: '/nope' },
      { input: { method: 'GET', path: '/flights/0' }, path: '/flights/0' },
    ];
    const events = cases.flatMap((c) => [v2Event(c.input), v1Event(c.input), functionUrlEvent(c.input)]);
    const lambda = pathToFileURL(join(out, 'dist', 'lambda.js')).href;
    const child = execFile(process.execPath, ['--input-type=module', '-e', LAMBDA_RUNNER, lambda], { cwd: work, env: { ...process.env, FLAPI_LOG_LEVEL: 'error' }, maxBuffer: 64 * 1024 * 1024 });
    const output = new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout!.on('data', (chunk: Buffer) => void (text += chunk.toString()));
      child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`lambda runner exited ${code}`))));
    });
    child.stdin!.end(JSON.stringify(events));
    const results = JSON.parse(await output) as { statusCode: number; headers: Record<string, string>; body: string }[];
    assert.equal(results.length, events.length);
    for (const [i, result] of results.entries()) {
      const c = cases[Math.floor(i / 3)]!;
      const expected = await ask(dev.url!, { path: c.path });
      assert.equal(result.statusCode, expected.status, c.path);
      assert.equal(result.headers['content-type'], expected.type, c.path);
      assert.equal(result.body, expected.body.toString('utf8'), c.path);
      assert.equal(result.headers['x-request-id'], 'test-request');
    }
  });
});
