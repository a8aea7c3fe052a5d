/**
 * One DuckDB instance per database file per process. Two instances on one file would each
 * cache, write and checkpoint its pages unaware of the other; that happens when a new app
 * version opens the file while the old one still drains (a `flapi dev` reload) and, with
 * caches refreshing into the file, would corrupt it. A second writable open of the same
 * file gets the live instance; it closes when its last user releases it.
 */
import { resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

interface Entry {
  instance: Promise<DuckDBInstance>;
  users: number;
}

const live = new Map<string, Entry>();

export interface InstanceLease {
  instance: DuckDBInstance;
  /** Closes the instance once no other lease holds it. */
  release(): void;
}

/**
 * `options` only count for the open that creates the instance; later opens of the same
 * file share its settings.
 */
export async function acquireInstance(path: string, options: Record<string, string>): Promise<InstanceLease> {
  // Read-only instances never write, and an artifact replaced in place must open as its new version.
  const readOnly = options['access_mode']?.toUpperCase() === 'READ_ONLY';
  if (path === ':memory:' || path === '' || readOnly) {
    const instance = await DuckDBInstance.create(path || ':memory:', options);
    return { instance, release: () => instance.closeSync() };
  }
  const key = resolve(path);
  let entry = live.get(key);
  if (entry === undefined) {
    entry = { instance: DuckDBInstance.create(path, options), users: 0 };
    live.set(key, entry);
    entry.instance.catch(() => live.delete(key));
  }
  entry.users++;
  const held = entry;
  let instance: DuckDBInstance;
  try {
    instance = await held.instance;
  } catch (err) {
    held.users--;
    throw err;
  }
  let released = false;
  return {
    instance,
    release() {
      if (released) return;
      released = true;
      if (--held.users > 0) return;
      if (live.get(key) === held) live.delete(key);
      instance.closeSync();
    },
  };
}
