/**
 * A Docker daemon and a local Node base image for the Dockerfile test, on machines that
 * can pull no registry image. The daemon is the one `docker info` reaches, else one this
 * process starts (`dockerd --storage-driver=vfs` on a private socket; root only). The
 * base image, `node:flapi-test-slim`, is a Debian minbase rootfs (debootstrap) with this
 * machine's `node` and `npm`, its CA bundle (for a TLS-inspecting proxy) and the `node`
 * user of the official images. Rootfs and daemon data are kept between runs in
 * FLAPI_DOCKER_CACHE (default: the temp folder), so only the first run pays for them.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, symlinkSync, writeFileSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export const BASE_TAG = 'flapi-test';
export const BASE_IMAGE = `node:${BASE_TAG}-slim`;

export interface DockerHost {
  /** Environment for `docker` commands (DOCKER_HOST of the daemon used). */
  env: NodeJS.ProcessEnv;
  docker(args: string[], options?: { timeout?: number }): Promise<string>;
  /** Stops the daemon if this process started it. */
  close(): Promise<void>;
}

const CACHE = process.env['FLAPI_DOCKER_CACHE'] ?? join(tmpdir(), 'flapi-docker-test');

function dockerWith(env: NodeJS.ProcessEnv) {
  return async (args: string[], options: { timeout?: number } = {}): Promise<string> => {
    const { stdout } = await exec('docker', args, { env, timeout: options.timeout ?? 60_000, maxBuffer: 64 * 1024 * 1024 });
    return stdout.trim();
  };
}

async function reachable(env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    await exec('docker', ['info', '--format', '{{.ServerVersion}}'], { env, timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

async function onPath(command: string): Promise<boolean> {
  try {
    await exec('sh', ['-c', `command -v ${command}`]);
    return true;
  } catch {
    return false;
  }
}

/** A reachable daemon, or the reason there is none (for the skip message). */
export async function dockerHost(): Promise<DockerHost | string> {
  if (!(await onPath('docker'))) return 'no docker CLI on PATH (apt-get install -y docker.io)';
  if (await reachable(process.env)) return { env: process.env, docker: dockerWith(process.env), close: async () => {} };
  if (!(await onPath('dockerd'))) return 'no Docker daemon is reachable and dockerd is not installed (apt-get install -y docker.io)';
  if (process.getuid?.() !== 0) return 'no Docker daemon is reachable, and starting one needs root';
  const dir = join(CACHE, 'daemon');
  mkdirSync(dir, { recursive: true });
  const socket = join(dir, 'docker.sock');
  const env = { ...process.env, DOCKER_HOST: `unix://${socket}` };
  const daemon: ChildProcess = spawn('dockerd', [
    '--storage-driver=vfs', `--data-root=${join(dir, 'data')}`, `--exec-root=${join(dir, 'exec')}`,
    `--host=unix://${socket}`, `--pidfile=${join(dir, 'dockerd.pid')}`,
  ], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  for (let i = 0; i < 60 && daemon.exitCode === null; i++) {
    if (await reachable(env)) {
      return {
        env,
        docker: dockerWith(env),
        close: async () => {
          daemon.kill('SIGTERM');
          await exited;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  daemon.kill('SIGKILL');
  return 'dockerd did not start (it needs root, cgroups and iptables; see `dockerd --storage-driver=vfs`)';
}

/** Debian minbase with this machine's node and npm, made once into CACHE/rootfs. */
async function baseRootfs(): Promise<string> {
  const rootfs = join(CACHE, 'rootfs');
  if (existsSync(join(rootfs, 'usr', 'local', 'bin', 'node'))) return rootfs;
  if (!(await onPath('debootstrap'))) throw new Error('building the base image needs debootstrap (apt-get install -y debootstrap)');
  await exec('debootstrap', ['--variant=minbase', 'bookworm', rootfs, 'http://deb.debian.org/debian'], { timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 });
  const local = join(rootfs, 'usr', 'local');
  mkdirSync(join(local, 'lib', 'node_modules'), { recursive: true });
  mkdirSync(join(local, 'etc'), { recursive: true });
  cpSync(join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm'), join(local, 'lib', 'node_modules', 'npm'), { recursive: true });
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(local, 'bin', 'npm'));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(local, 'bin', 'npx'));
  const ca = process.env['NODE_EXTRA_CA_CERTS'] ?? '/etc/ssl/certs/ca-certificates.crt';
  if (existsSync(ca)) {
    mkdirSync(join(rootfs, 'etc', 'ssl', 'certs'), { recursive: true });
    copyFileSync(ca, join(rootfs, 'etc', 'ssl', 'certs', 'ca-certificates.crt'));
    writeFileSync(join(local, 'etc', 'npmrc'), 'cafile=/etc/ssl/certs/ca-certificates.crt\n');
  }
  // The official images' unprivileged user, which the Dockerfile switches to.
  appendFileSync(join(rootfs, 'etc', 'passwd'), 'node:x:1000:1000::/home/node:/bin/sh\n');
  appendFileSync(join(rootfs, 'etc', 'group'), 'node:x:1000:\n');
  mkdirSync(join(rootfs, 'home', 'node'), { recursive: true });
  chownSync(join(rootfs, 'home', 'node'), 1000, 1000);
  // Last: its presence marks a finished rootfs.
  copyFileSync(process.execPath, join(local, 'bin', 'node'));
  return rootfs;
}

/** Makes `node:flapi-test-slim` in the daemon unless it is there already. */
export async function ensureBaseImage(host: DockerHost): Promise<void> {
  try {
    await host.docker(['image', 'inspect', BASE_IMAGE]);
    return;
  } catch {
    // not there yet
  }
  const rootfs = await baseRootfs();
  await exec('sh', ['-c', `tar -C '${rootfs}' -c . | docker import - ${BASE_IMAGE}`], { env: host.env, timeout: 10 * 60_000 });
}
