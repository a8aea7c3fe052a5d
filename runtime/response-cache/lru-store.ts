/**
 * A byte-bounded LRU of responses. A Map keeps insertion order, so re-inserting on every hit
 * makes its first key the least recently used one.
 */

export interface CachedResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: Buffer;
  etag: string;
  /** Approximate memory held, used for the byte bound. */
  size: number;
}

export class LruStore {
  private readonly entries = new Map<string, CachedResponse>();
  private total = 0;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.total;
  }

  get count(): number {
    return this.entries.size;
  }

  get(key: string): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CachedResponse): void {
    if (entry.size > this.maxBytes) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.total -= previous.size;
      this.entries.delete(key);
    }
    this.entries.set(key, entry);
    this.total += entry.size;
    for (const [oldKey, old] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.entries.delete(oldKey);
      this.total -= old.size;
    }
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }
}
