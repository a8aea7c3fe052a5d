/**
 * A byte-bounded LRU of responses: a Map for lookup, a doubly linked list for recency.
 *
 * A hit only relinks list nodes; the Map is written on insert and eviction alone. The
 * obvious LRU (delete and re-insert the hit key so the Map's insertion order is the
 * recency order) degrades with the cache's size: V8 leaves a deleted Map entry in its
 * hash bucket's chain until the next rehash, so re-inserting one hot key lengthens that
 * key's chain by one per hit. With 4,700 entries a hit on one key cost 12 µs instead of
 * 0.1 µs, and repeated reads fell to half their speed once the cache had filled
 * (bench/results/findings.md).
 *
 * An entry with an end (`expires`, from the endpoint's TTL) is dropped by the first lookup
 * after it; entries without one pay a single property test for it.
 */
import type { CachePolicy } from './cache-control.js';

export interface CachedResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: Buffer;
  etag: string;
  /** Approximate memory held, used for the byte bound. */
  size: number;
  /** The endpoint (manifest name) that produced it, for metrics and the below-Koa hit path. */
  endpoint?: string;
  /** The endpoint's policy: its `Cache-Control` is computed when the entry is replayed. */
  policy?: CachePolicy;
  /** Epoch ms after which the entry is gone (the endpoint's TTL); undefined: until evicted or the data changes. */
  expires?: number;
}

interface Node {
  key: string;
  value: CachedResponse;
  /** Toward the most recently used end. */
  newer: Node | undefined;
  /** Toward the least recently used end. */
  older: Node | undefined;
}

export class LruStore {
  private readonly nodes = new Map<string, Node>();
  private newest: Node | undefined;
  private oldest: Node | undefined;
  private total = 0;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.total;
  }

  get count(): number {
    return this.nodes.size;
  }

  get(key: string): CachedResponse | undefined {
    const node = this.nodes.get(key);
    if (node === undefined) return undefined;
    if (node.value.expires !== undefined && node.value.expires <= Date.now()) {
      this.remove(node);
      return undefined;
    }
    if (node !== this.newest) {
      this.unlink(node);
      this.pushNewest(node);
    }
    return node.value;
  }

  set(key: string, value: CachedResponse): void {
    if (value.size > this.maxBytes) return;
    const existing = this.nodes.get(key);
    if (existing !== undefined) {
      this.total += value.size - existing.value.size;
      existing.value = value;
      this.unlink(existing);
      this.pushNewest(existing);
    } else {
      const node: Node = { key, value, newer: undefined, older: undefined };
      this.nodes.set(key, node);
      this.pushNewest(node);
      this.total += value.size;
    }
    while (this.total > this.maxBytes && this.oldest !== undefined) this.remove(this.oldest);
  }

  /** Keys from least to most recently used (for tests and diagnostics). */
  keys(): string[] {
    const keys: string[] = [];
    for (let node = this.oldest; node !== undefined; node = node.newer) keys.push(node.key);
    return keys;
  }

  clear(): void {
    this.nodes.clear();
    this.newest = undefined;
    this.oldest = undefined;
    this.total = 0;
  }

  private remove(node: Node): void {
    this.unlink(node);
    this.nodes.delete(node.key);
    this.total -= node.value.size;
  }

  private unlink(node: Node): void {
    if (node.newer !== undefined) node.newer.older = node.older;
    else this.newest = node.older;
    if (node.older !== undefined) node.older.newer = node.newer;
    else this.oldest = node.newer;
    node.newer = undefined;
    node.older = undefined;
  }

  private pushNewest(node: Node): void {
    node.older = this.newest;
    node.newer = undefined;
    if (this.newest !== undefined) this.newest.newer = node;
    this.newest = node;
    if (this.oldest === undefined) this.oldest = node;
  }
}
