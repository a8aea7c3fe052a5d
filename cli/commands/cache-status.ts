import { AdminClientError, adminClient, describeCache, type AdminOptions } from '../cache/admin-client.js';

export interface CacheStatusOptions extends AdminOptions {
  json?: boolean;
}

/**
 * `flapi cache status [dir]`: every cache of a running server. Exit 0 when all serve fresh
 * data, 1 when one is stale (its last refresh failed) or empty, 2 when the server cannot be asked.
 */
export async function run(dir: string, options: CacheStatusOptions = {}): Promise<number> {
  try {
    const report = await adminClient(dir, options).status();
    if (options.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else if (report.caches.length === 0) {
      process.stdout.write('no caches: no endpoint has a `cache:` block\n');
    } else {
      for (const cache of report.caches) process.stdout.write(`${describeCache(cache)}\n`);
    }
    return report.caches.every((c) => c.state === 'fresh') ? 0 : 1;
  } catch (err) {
    if (!(err instanceof AdminClientError)) throw err;
    process.stderr.write(`flapi cache status: ${err.message}\n`);
    return 2;
  }
}
