/**
 * Counters in this process: the default, right for a single instance. Expired windows
 * are dropped by a sweep, and the number of keys is bounded so a flood of distinct client
 * addresses cannot grow memory without limit (the oldest windows go first).
 */
import type { RateLimitHit, RateLimitStore } from './rate-limit-store.js';

export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, RateLimitHit>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly maxKeys = 100_000, sweepMs = 10_000) {
    this.sweeper = setInterval(() => this.sweep(), sweepMs);
    this.sweeper.unref();
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const now = Date.now();
    let window = this.windows.get(key);
    if (window === undefined || window.resetAt <= now) {
      if (window !== undefined) this.windows.delete(key);
      else if (this.windows.size >= this.maxKeys) this.evictOldest();
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return { count: window.count, resetAt: window.resetAt };
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }

  private evictOldest(): void {
    this.sweep();
    if (this.windows.size < this.maxKeys) return;
    const oldest = this.windows.keys().next().value;
    if (oldest !== undefined) this.windows.delete(oldest);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.windows.clear();
  }
}
