/**
 * `total_count` of a paginated read, remembered per query and data version.
 *
 * The count is a second full pass over the filtered rows: on examples/flights a page of
 * 100 flights of one airport takes ~4 ms and its `count(*)` ~30-40 ms
 * (bench/count-strategies.ts). Every page of one filter has the same total, and the data
 * only changes with the data version (SPEC §10: immutable between refreshes), so the
 * count is run once per filter and version and the pages after the first cost only
 * themselves. The rendered SQL and its bound values determine the query, so they are
 * the key; SQL that reads the clock or a random source is never remembered.
 */
import type { BoundValue } from '../template/index.js';

/** Functions whose result changes without the data changing. */
const VOLATILE = /\b(now|today|current_date|current_time|current_timestamp|localtime|localtimestamp|get_current_time|get_current_timestamp|transaction_timestamp|random|setseed|uuid|uuidv4|uuidv7|gen_random_uuid|nextval|currval)\b/i;

/** Distinct filters remembered per endpoint; past it the oldest half is dropped. */
export const COUNT_CACHE_ENTRIES = 4096;

function valueKey(value: BoundValue): string {
  // Tagged, so 1, '1', 1n and true never share a key; length-prefixed, so no string can
  // imitate the separator between two values.
  if (value === null) return 'z';
  const text = String(value);
  return `${(typeof value)[0]}${text.length}:${text}`;
}

export class CountCache {
  private readonly counts = new Map<string, number>();
  private readonly verdicts = new Map<string, boolean>();
  private version: number;

  constructor(
    private readonly dataVersion: () => number,
    private readonly maxEntries = COUNT_CACHE_ENTRIES,
  ) {
    this.version = dataVersion();
  }

  get size(): number {
    return this.counts.size;
  }

  get(sql: string, values: readonly BoundValue[]): number | undefined {
    this.syncVersion();
    return this.counts.get(this.keyOf(sql, values));
  }

  set(sql: string, values: readonly BoundValue[], total: number, versionAtStart: number): void {
    this.syncVersion();
    // A count that started before the data changed may describe the old data.
    if (versionAtStart !== this.version || !this.cacheable(sql)) return;
    if (this.counts.size >= this.maxEntries) this.dropOldestHalf();
    this.counts.set(this.keyOf(sql, values), total);
  }

  private keyOf(sql: string, values: readonly BoundValue[]): string {
    let key = sql;
    for (const value of values) key += `\u0000${valueKey(value)}`;
    return key;
  }

  private cacheable(sql: string): boolean {
    let verdict = this.verdicts.get(sql);
    if (verdict === undefined) {
      verdict = !VOLATILE.test(sql);
      if (this.verdicts.size >= this.maxEntries) this.verdicts.clear();
      this.verdicts.set(sql, verdict);
    }
    return verdict;
  }

  private syncVersion(): void {
    const current = this.dataVersion();
    if (current !== this.version) {
      this.counts.clear();
      this.version = current;
    }
  }

  private dropOldestHalf(): void {
    let drop = this.counts.size >> 1;
    for (const key of this.counts.keys()) {
      if (drop-- <= 0) break;
      this.counts.delete(key);
    }
  }
}
