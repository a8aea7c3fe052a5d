/**
 * Counters in Redis, shared by every instance that points at the same server and prefix.
 * One Lua script counts a request and opens its window (INCR, then PEXPIRE on the first
 * request) atomically, so concurrent requests on different instances never both see a
 * fresh window. If Redis cannot be reached the request is let through and a warning is
 * logged: losing the limiter must not take the API down with it.
 *
 * ioredis is imported when a store is made (it connects at once, as before), so a server
 * without a Redis store never loads it.
 */
import type { Redis } from 'ioredis';
import type { RateLimitHit, RateLimitStore } from './rate-limit-store.js';
import { importOptional } from '../optional-package.js';

const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

export interface RedisStoreOptions {
  url: string;
  /** Prepended to every key (default `flapi:rl:`). */
  prefix?: string;
  /** Called when Redis fails; the request is then allowed. */
  onError?: (err: Error) => void;
}

type HitCommand = (key: string, windowMs: number) => Promise<[number, number]>;

export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: Promise<Redis>;
  private readonly prefix: string;
  private readonly onError: (err: Error) => void;

  constructor(options: RedisStoreOptions) {
    this.prefix = options.prefix ?? 'flapi:rl:';
    this.onError = options.onError ?? (() => {});
    this.redis = importOptional(() => import('ioredis'), 'ioredis', 'a Redis rate-limit store').then(({ Redis: Client }) => {
      const redis = new Client(options.url, {
        lazyConnect: false,
        enableOfflineQueue: true,
        maxRetriesPerRequest: 1,
        commandTimeout: 1000,
        connectTimeout: 2000,
      });
      // Without a listener ioredis prints connection errors itself; they are reported per request instead.
      redis.on('error', () => {});
      redis.defineCommand('flapiRateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
      return redis;
    });
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const now = Date.now();
    try {
      const redis = await this.redis;
      const command = (redis as unknown as { flapiRateLimitHit: HitCommand }).flapiRateLimitHit.bind(redis);
      const [count, ttl] = await command(this.prefix + key, Math.max(1, Math.round(windowMs)));
      return { count: Number(count), resetAt: now + Number(ttl) };
    } catch (err) {
      this.onError(err as Error);
      return { count: 0, resetAt: now + windowMs };
    }
  }

  async close(): Promise<void> {
    const redis = await this.redis;
    try {
      await redis.quit();
    } catch {
      redis.disconnect();
    }
  }
}
