/**
 * Rate limits: per endpoint and global, keyed by ip / user / user-or-ip, with the
 * X-RateLimit-* headers and 429 + Retry-After; in memory, and in Redis shared by two
 * server processes that together allow exactly `max` requests per window.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { AuthSpec, Manifest } from '../runtime/manifest.js';
import { silentLogger, startServer, type HttpServerHandle } from '../runtime/index.js';
import { apiKeyHash } from '../runtime/security/index.js';
import { endpoint, manifest } from './serve-fixture.js';

const REDIS_URL = 'redis://127.0.0.1:6379';

const keys: AuthSpec = {
  enabled: true,
  type: 'api-key',
  apiKey: { header: 'X-API-Key', keys: [{ name: 'ann', key: { value: apiKeyHash('ann-key') }, roles: [] }, { name: 'ben', key: { value: apiKeyHash('ben-key') }, roles: [] }] },
};

async function status(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  return response;
}

describe('rate limits in memory', () => {
  let server: HttpServerHandle;
  before(async () => {
    const m = manifest([
      endpoint({ urlPath: '/limited', sql: 'SELECT 1 AS one', rateLimit: { enabled: true, max: 3, interval: 1, key: 'ip' } }),
      endpoint({ urlPath: '/free', sql: 'SELECT 2 AS two', rateLimit: { enabled: false, max: 1, interval: 1, key: 'ip' } }),
      endpoint({ urlPath: '/per-user', sql: 'SELECT 3 AS three', auth: keys, rateLimit: { enabled: true, max: 2, interval: 60, key: 'user' } }),
      endpoint({ urlPath: '/anyone', sql: 'SELECT 4 AS four' }),
    ]);
    m.rateLimit = { enabled: true, max: 8, interval: 60, key: 'user-or-ip' };
    server = await startServer(m, { port: 0, logger: silentLogger });
  });
  after(() => server.close());

  it('counts down X-RateLimit-Remaining, then answers 429 with Retry-After, and opens a new window', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await status(`${server.url}/limited`);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('x-ratelimit-limit'), '3');
      seen.push(r.headers.get('x-ratelimit-remaining')!);
      const reset = Number(r.headers.get('x-ratelimit-reset'));
      assert.ok(reset >= Math.floor(Date.now() / 1000) && reset <= Math.ceil(Date.now() / 1000) + 2, `reset ${reset}`);
    }
    assert.deepEqual(seen, ['2', '1', '0']);
    const limited = await fetch(`${server.url}/limited`);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.deepEqual(await limited.json(), { error: 'too many requests; wait for the time in Retry-After' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await status(`${server.url}/limited`)).status, 200, 'a new window');
  });

  it('exempts an endpoint whose block says enabled: false, and keys per user', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await status(`${server.url}/free`)).status, 200);
    assert.equal((await status(`${server.url}/per-user`, { 'X-API-Key': 'ann-key' })).status, 200);
    assert.equal((await status(`${server.url}/per-user`, { 'X-API-Key': 'ann-key' })).status, 200);
    assert.equal((await status(`${server.url}/per-user`, { 'X-API-Key': 'ann-key' })).status, 429);
    assert.equal((await status(`${server.url}/per-user`, { 'X-API-Key': 'ben-key' })).status, 200, 'ben has his own budget');
  });

  it('applies the global limit to every endpoint and counts failed authentication', async () => {
    // The global budget (8 per client address) has already paid for the requests above
    // except /free (exempt) and the authenticated ones (keyed by user).
    const before = await status(`${server.url}/anyone`);
    let remaining = Number(before.headers.get('x-ratelimit-remaining'));
    assert.ok(remaining >= 0 && remaining < 8, `remaining ${remaining}`);
    const bad = await status(`${server.url}/per-user`, { 'X-API-Key': 'wrong' });
    assert.equal(bad.status, 401);
    assert.equal(Number(bad.headers.get('x-ratelimit-remaining')), remaining - 1, 'a failed attempt costs the address');
    remaining--;
    while (remaining > 0) {
      assert.equal((await status(`${server.url}/anyone`)).status, 200);
      remaining--;
    }
    assert.equal((await status(`${server.url}/anyone`)).status, 429);
    assert.equal((await status(`${server.url}/per-user`, { 'X-API-Key': 'wrong' })).status, 429, 'guessing stops at the limit');
  });
});

async function redisAvailable(): Promise<Redis | undefined> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, enableOfflineQueue: false });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch {
    redis.disconnect();
    return undefined;
  }
}

function spawnServer(file: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('test', 'support', 'serve-manifest.ts'), file], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\S+)/.exec(out);
      if (match) resolve({ child, url: match[1]! });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

describe('rate limits in Redis, shared by two server processes', async () => {
  const redis = await redisAvailable();
  const prefix = `flapi-test:${randomBytes(6).toString('hex')}:`;
  const dir = mkdtempSync(join(tmpdir(), 'flapi-rl-'));
  const servers: { child: ChildProcess; url: string }[] = [];

  before(async () => {
    if (!redis) return;
    const m: Manifest = manifest([endpoint({ urlPath: '/shared', sql: 'SELECT 1 AS one' })]);
    m.rateLimit = { enabled: true, max: 7, interval: 3, key: 'ip', store: { type: 'redis', url: { env: 'FLAPI_TEST_REDIS_URL' }, prefix } };
    const file = join(dir, 'manifest.json');
    writeFileSync(file, JSON.stringify(m));
    process.env['FLAPI_TEST_REDIS_URL'] = REDIS_URL;
    servers.push(...(await Promise.all([spawnServer(file), spawnServer(file)])));
  });

  after(async () => {
    for (const { child } of servers) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (redis) {
      const found = await redis.keys(`${prefix}*`);
      if (found.length > 0) await redis.del(...found);
      redis.disconnect();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('together allow exactly max requests per window', { skip: redis ? false : 'Redis is not running on 127.0.0.1:6379' }, async () => {
    // Align with a fresh window: the first request opens it.
    const codes: number[] = [];
    const remaining: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await status(`${servers[i % 2]!.url}/shared`);
      codes.push(r.status);
      remaining.push(r.headers.get('x-ratelimit-remaining') ?? '');
    }
    assert.deepEqual(codes, [200, 200, 200, 200, 200, 200, 200, 429, 429, 429, 429, 429]);
    assert.deepEqual(remaining.slice(0, 7), ['6', '5', '4', '3', '2', '1', '0']);
    const stored = await redis!.keys(`${prefix}*`);
    assert.equal(stored.length, 1, `one shared counter: ${stored.join(', ')}`);
    const ttl = await redis!.pttl(stored[0]!);
    assert.ok(ttl > 0 && ttl <= 3000, `the window expires: ${ttl}`);

    // Concurrent requests against both instances in the next window: still exactly max.
    await new Promise((resolve) => setTimeout(resolve, ttl + 100));
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => status(`${servers[i % 2]!.url}/shared`)));
    assert.equal(burst.filter((r) => r.status === 200).length, 7);
    assert.equal(burst.filter((r) => r.status === 429).length, 13);
  });
});
