/**
 * The generated Dockerfile, built and run for real: `flapi build examples/flights`, then
 * `docker build` on a local Node base image (no registry image can be pulled here; see
 * test/support/docker-host.ts), then the container must run as a non-root user, pass its
 * HEALTHCHECK and answer as `flapi dev` does.
 *
 * Slow (minutes: the base image, vfs copies of every layer, `npm ci` from the registry),
 * so it runs only with FLAPI_DOCKER_TEST=1, and skips, saying why, where no daemon runs.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startDevSession, type DevSession } from '../cli/dev/dev-session.js';
import { silentLogger } from '../runtime/app/index.js';
import { BASE_TAG, dockerHost, ensureBaseImage, type DockerHost } from './support/docker-host.js';

const run = promisify(execFile);
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const flights = join(repo, 'examples', 'flights');
const IMAGE = 'flapi-test-flights';
const CONTAINER = `flapi-test-flights-${process.pid}`;

const host = process.env['FLAPI_DOCKER_TEST'] === '1' ? await dockerHost() : 'set FLAPI_DOCKER_TEST=1 to build and run the generated Dockerfile (takes minutes)';
const skip = typeof host === 'string' ? host : false;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const REQUESTS = ['/flights/3', '/flights/0', '/airports?sort=city&state=CA&limit=3', '/flights?limit=3&format=csv', '/nope', '/_flapi/health'];

describe('the generated Dockerfile', { skip, timeout: 30 * 60_000 }, () => {
  const docker = host as DockerHost;
  let work: string;
  let dev: DevSession;
  let base: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'flapi-docker-'));
    const out = join(work, 'out');
    await run(process.execPath, [join(repo, 'bin', 'flapi.js'), 'build', flights, '--out', out], { cwd: work, timeout: 300_000 });
    await ensureBaseImage(docker);
    // Host networking: the build's `npm ci` reaches the registry as this machine does.
    await docker.docker(['build', '--network=host', '--build-arg', `NODE_VERSION=${BASE_TAG}`, '-t', IMAGE, out], { timeout: 25 * 60_000 });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // The Dockerfile's HEALTHCHECK command, checked every second instead of every 30.
    await docker.docker(['run', '-d', '--name', CONTAINER, '--network=host', '-e', `PORT=${port}`, '-e', 'FLAPI_HOST=127.0.0.1', '--health-interval=1s', IMAGE]);
    dev = await startDevSession({ dir: flights, port: '0', watch: false, env: {}, logger: silentLogger, out: () => {}, err: () => {} });
  });

  after(async () => {
    await dev?.close();
    if (typeof host !== 'string') {
      await host.docker(['rm', '-f', CONTAINER]).catch(() => '');
      await host.docker(['rmi', '-f', IMAGE]).catch(() => '');
      await host.close();
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('runs as the unprivileged node user', async () => {
    assert.equal(await docker.docker(['inspect', '--format', '{{.Config.User}}', CONTAINER]), 'node');
    assert.equal(await docker.docker(['exec', CONTAINER, 'id', '-u']), '1000');
  });

  it('passes its HEALTHCHECK', async () => {
    let status = '';
    for (let i = 0; i < 120 && status !== 'healthy'; i++) {
      status = await docker.docker(['inspect', '--format', '{{.State.Health.Status}}', CONTAINER]);
      if (status === 'unhealthy') break;
      if (status !== 'healthy') await new Promise((r) => setTimeout(r, 1000));
    }
    assert.equal(status, 'healthy', await docker.docker(['logs', CONTAINER]).catch(() => ''));
  });

  it('answers as flapi dev does', async () => {
    for (const path of REQUESTS) {
      const [expected, actual] = [await fetch(dev.url! + path), await fetch(base + path)];
      assert.equal(actual.status, expected.status, `${path}: status`);
      assert.equal(actual.headers.get('content-type'), expected.headers.get('content-type'), `${path}: content type`);
      assert.equal(await actual.text(), await expected.text(), `${path}: body`);
    }
  });
});
