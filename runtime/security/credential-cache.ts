/**
 * Remembers credentials that verified, for a short while. Password hashes are slow on
 * purpose (tens of milliseconds each); paying that on every request of a client that
 * sends Basic auth each time would cap throughput at a few dozen requests per second.
 * Entries are keyed by an HMAC under a key that never leaves the process, so the cache
 * holds no password, and it is bounded, so a flood of distinct credentials cannot grow it.
 */
import { createHmac, randomBytes } from 'node:crypto';

export class CredentialCache<T> {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, { value: T; expires: number }>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  private digest(parts: readonly string[]): string {
    const hmac = createHmac('sha256', this.key);
    for (const part of parts) hmac.update(part).update('\u0000');
    return hmac.digest('base64url');
  }

  get(parts: readonly string[]): T | undefined {
    const id = this.digest(parts);
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    if (entry.expires <= Date.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.value;
  }

  set(parts: readonly string[], value: T): void {
    if (this.entries.size >= this.maxEntries) {
      // The oldest entry goes first (Map keeps insertion order).
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(this.digest(parts), { value, expires: Date.now() + this.ttlMs });
  }
}
