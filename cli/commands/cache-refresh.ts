import { AdminClientError, adminClient, type AdminOptions } from '../cache/admin-client.js';

export interface CacheRefreshOptions extends AdminOptions {
  /** Only these endpoints' caches (default: every cache). */
  endpoint?: string[];
  /** Rebuild append and merge caches from scratch. */
  full?: boolean;
}

/**
 * `flapi cache refresh [dir]`: refreshes caches of a running server one after the other
 * and prints each outcome. Exit 0 when all succeeded, 1 when one failed, 2 when the
 * server cannot be asked.
 */
export async function run(dir: string, options: CacheRefreshOptions = {}): Promise<number> {
  try {
    const client = adminClient(dir, options);
    const names = options.endpoint?.length ? options.endpoint : (await client.status()).caches.map((c) => c.endpoint);
    if (names.length === 0) {
      process.stdout.write('no caches to refresh: no endpoint has a `cache:` block\n');
      return 0;
    }
    let failed = 0;
    for (const name of names) {
      const { status, body } = await client.refresh(name, options.full === true);
      const snapshot = body.snapshot;
      if (status === 200 && snapshot) {
        process.stdout.write(`✓ ${name}: snapshot ${snapshot.id} (${snapshot.mode}), ${snapshot.rows_written ?? 0} rows written, ${snapshot.row_count ?? 0} rows, ${snapshot.duration_ms ?? 0} ms\n`);
      } else {
        failed++;
        process.stderr.write(`✗ ${name}: ${body.error ?? `HTTP ${status}`}\n`);
      }
    }
    return failed === 0 ? 0 : 1;
  } catch (err) {
    if (!(err instanceof AdminClientError)) throw err;
    process.stderr.write(`flapi cache refresh: ${err.message}\n`);
    return 2;
  }
}
