import type { FlapiApp } from '../../runtime/app/index.js';

/**
 * Before test cases run, caches with no data are filled once from their DuckDB sources
 * (files, or tables the fixtures made). A cache fed by PostgreSQL is never reached from a
 * test: a fixture named like its table stands in for it. Returns one line per cache that
 * stays empty, saying why.
 */
export async function warmCaches(app: FlapiApp): Promise<string[]> {
  const notes: string[] = [];
  for (const name of app.caches.pending()) {
    const endpoint = app.manifest.endpoints.find((e) => e.name === name);
    const cache = endpoint?.cache;
    if (endpoint === undefined || cache === undefined) continue;
    const source = endpoint.connection.map((c) => app.manifest.connections[c]).find((c) => c?.type !== undefined && c.type !== 'duckdb');
    if (source !== undefined) {
      notes.push(`cache of ${name} reads ${source.type} (connection ${source.name}), which tests do not reach: add a fixture with \`table: ${cache.schema}.${cache.table}\``);
      continue;
    }
    try {
      await app.caches.refresh(name);
    } catch (err) {
      notes.push(`cache of ${name} could not be filled from its template: ${(err as Error).message}`);
    }
  }
  return notes;
}
