import { parseDuration } from '../../runtime/cache/parse-duration.js';
import { parseSchedule } from '../../runtime/cache/schedule.js';
import { SNAPSHOT_SCHEMA } from '../../runtime/cache/snapshot-store.js';
import type { Manifest } from '../../runtime/manifest.js';
import type { LoadedProject } from '../config/load-project.js';
import type { CompiledEndpoint } from '../config/normalise-endpoint.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** Source drivers a connection's `type` may name; `duckdb` is the same as none. */
export const SOURCE_TYPES = ['postgres', 'postgresql', 'duckdb'] as const;

/** Cache blocks and source connections: what the refresh loop would otherwise find out at run time. */
export function checkCaches(project: LoadedProject, manifest: Manifest, endpoints: readonly CompiledEndpoint[], diagnostics: Diagnostic[]): void {
  const push = (severity: Diagnostic['severity'], at: { file: string; line: number; column: number }, code: string, message: string) =>
    diagnostics.push({ severity, ...at, code, message });

  for (const connection of Object.values(manifest.connections)) {
    if (connection.type === undefined) continue;
    const at = project.main.locate(['connections', connection.name, 'type']);
    if (!(SOURCE_TYPES as readonly string[]).includes(connection.type)) {
      push('error', at, 'connection-type', `connection \`${connection.name}\` has type \`${connection.type}\`; flapi refreshes caches from ${SOURCE_TYPES.join(', ')} (or DuckDB SQL without a type)`);
    } else if (connection.type !== 'duckdb') {
      const url = connection.url ?? (connection.urlEnv !== undefined ? project.env.raw(connection.urlEnv) : undefined) ?? '';
      if (url.trim() === '') {
        push('warning', project.main.locate(['connections', connection.name, 'url']), 'connection-url-empty', connection.urlEnv !== undefined
          ? `connection \`${connection.name}\` takes its url from ${connection.urlEnv}, which is not set here; its caches refresh only where it is`
          : `connection \`${connection.name}\` has an empty url; its caches cannot refresh until it has one`);
      }
    }
  }

  const tables = new Map<string, string>();
  let cached = 0;
  for (const { spec, doc } of endpoints) {
    // Named on purpose (not the project's only connection by default): the author may expect live queries.
    const named = (doc.data as Record<string, unknown> | undefined)?.['connection'] !== undefined;
    const sourceConnection = spec.connection.find((c) => isSource(manifest, c));
    if (named && sourceConnection !== undefined && spec.cache === undefined) {
      push('warning', doc.locate(['connection']), 'source-without-cache',
        `connection \`${sourceConnection}\` (type ${manifest.connections[sourceConnection]!.type}) only feeds caches: this endpoint's template runs in DuckDB, so it can read cache tables but not ${manifest.connections[sourceConnection]!.type} itself; add a \`cache:\` block to copy data from it`);
    }
    const cache = spec.cache;
    if (cache === undefined || !cache.enabled) continue;
    cached++;
    if (cache.table === '') push('error', doc.locate(['cache']), 'cache-table', 'cache block has no `table:`; name the DuckDB table the cache is written to');
    if (cache.template === undefined) push('error', doc.locate(['cache']), 'cache-template', 'cache block has no `template-file:`; add the SELECT that produces the cache rows (relative to this YAML file)');
    if (cache.schema === SNAPSHOT_SCHEMA) push('error', doc.locate(['cache', 'schema']), 'cache-schema', `schema \`${SNAPSHOT_SCHEMA}\` is reserved for flapi's snapshot records; pick another`);
    if (cache.schedule !== undefined) {
      try {
        parseSchedule(cache.schedule);
      } catch (err) {
        push('error', doc.locate(['cache', 'schedule']), 'cache-schedule', (err as Error).message);
      }
    }
    const age = cache.retention?.maxSnapshotAge;
    if (age !== undefined && parseDuration(age) === undefined) {
      push('error', doc.locate(['cache', 'retention', 'max-snapshot-age']), 'cache-retention', `max-snapshot-age \`${age}\` is not a duration; write e.g. 12h, 7d or 2w`);
    }
    if (cache.cursor !== undefined && cache.cursor.column === '') push('error', doc.locate(['cache', 'cursor']), 'cache-cursor', 'cursor has no `column:`; name the column whose growth marks new or changed rows');
    if (cache.table === '') continue;
    const key = `${cache.catalog ?? ''}.${cache.schema}.${cache.table}`.toLowerCase();
    const other = tables.get(key);
    if (other !== undefined) {
      push('error', doc.locate(['cache', 'table']), 'cache-table-duplicate', `cache table ${cache.schema}.${cache.table} is already the cache of endpoint ${other}; each cache needs its own table`);
    }
    tables.set(key, spec.name);
  }
  // ducklake.metadata-path keeps the caches in a file of their own.
  if (cached > 0 && manifest.duckdb.dbPath === undefined && manifest.duckdb.cacheCatalog?.path === undefined) {
    push('warning', project.main.locate(['duckdb']), 'cache-in-memory',
      'caches live in memory because duckdb.db_path is not set: a restart starts empty and refreshes everything; set `db_path: ./cache.duckdb` to keep them');
  }
}

function isSource(manifest: Manifest, name: string): boolean {
  const type = manifest.connections[name]?.type;
  return type !== undefined && type !== 'duckdb';
}
