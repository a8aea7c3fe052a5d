/**
 * The dry-run's cache tables: each cache template is checked (in DuckDB, or described by
 * PostgreSQL without reading rows) and an empty table with its columns is built, so the
 * endpoints reading the cache can be dry-run against it.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { asSubquery } from '../../runtime/cache/cache-source.js';
import { staticCacheContext } from '../../runtime/cache/cache-target.js';
import { describePostgres, PostgresQueryError } from '../../runtime/cache/postgres-describe.js';
import { quoteIdent } from '../../runtime/cache/sql-names.js';
import type { ConnectionSpec } from '../../runtime/manifest.js';
import { renderTemplate, type CompiledTemplate, type TemplateContext } from '../../runtime/template/index.js';
import type { CompiledEndpoint } from '../config/normalise-endpoint.js';
import type { CheckedTemplates } from './check-template.js';
import type { DryRunContext } from './dry-run-input.js';
import { firstLine, markUnbuilt, prepare } from './dry-run-prepare.js';
import { templatePositionAtOffset } from './sql-error-position.js';
import { dryRunSelfWriting } from './dry-run-self-writing.js';

/** Builds an endpoint's empty cache table from its cache template; false when the endpoint cannot be dry-run. */
export async function buildCacheTable(connection: DuckDBConnection, endpoint: CompiledEndpoint, templates: CheckedTemplates, env: Record<string, string>, input: DryRunContext): Promise<boolean> {
  const { spec } = endpoint;
  if (!spec.cache || !templates.cache || !endpoint.cacheTemplatePath) return true;
  const conn = input.manifest.connections[spec.connection[0] ?? '']?.properties ?? {};
  const source = spec.connection.map((c) => input.manifest.connections[c]).find((c) => c?.type !== undefined && c.type !== 'duckdb');
  const contexts = { conn, env, cache: staticCacheContext(spec.cache, input.cacheCatalog) };
  return source
    ? dryRunPostgresCache(connection, endpoint, templates.cache, source, contexts, input)
    : dryRunDuckdbCache(connection, endpoint, templates.cache, contexts, input);
}

interface CacheContexts {
  conn: Record<string, unknown>;
  env: Record<string, string>;
  cache: Record<string, unknown>;
}

/** The cache template as a first load (no previous snapshot) and as an incremental one (a placeholder high-water mark). */
function cacheTemplateContexts(endpoint: CompiledEndpoint, contexts: CacheContexts): TemplateContext[] {
  const base = { params: {}, conn: contexts.conn, env: contexts.env };
  const first = { ...base, cache: { ...contexts.cache, snapshotId: 1 } };
  const cursorType = endpoint.spec.cache?.cursor?.type.toLowerCase() ?? 'timestamp';
  const mark = /int|numeric|decimal|double|float|real/.test(cursorType) ? '0' : cursorType === 'date' ? '2000-01-01' : '2000-01-01 00:00:00';
  const later = { ...base, cache: { ...contexts.cache, snapshotId: 2, previousSnapshotId: 1, previousSnapshotTimestamp: mark, highWaterMark: endpoint.spec.cache?.cursor ? mark : undefined } };
  return [first, later];
}

/**
 * `CREATE ... TABLE` of an empty cache table in the in-memory dry-run database. Qualified
 * with its catalog: when db_path is attached (a baked artifact holds the cache's schema),
 * an unqualified name would resolve to the attached, read-only file.
 */
function dryRunCacheTable(cache: { schema: string; table: string }, catalog: string): string {
  const schema = `${quoteIdent(catalog)}.${quoteIdent(cache.schema)}`;
  return `CREATE SCHEMA IF NOT EXISTS ${schema}; CREATE OR REPLACE TABLE ${schema}.${quoteIdent(cache.table)}`;
}

/** Prepares the cache template in DuckDB and builds an empty cache table from its columns. */
async function dryRunDuckdbCache(connection: DuckDBConnection, endpoint: CompiledEndpoint, template: CompiledTemplate, contexts: CacheContexts, input: DryRunContext): Promise<boolean> {
  const cache = endpoint.spec.cache!;
  const file = endpoint.cacheTemplatePath!;
  const [firstContext] = cacheTemplateContexts(endpoint, contexts);
  const selfWriting = await dryRunSelfWriting(connection, template, firstContext!, input.cacheCatalog, cache.schema, file, input.diagnostics);
  if (selfWriting === 'failed') markUnbuilt(input, cache.schema, cache.table);
  if (selfWriting !== 'not-self-writing') return selfWriting === 'built';
  let first: { sql: string } | undefined;
  const seen = new Set<string>();
  for (const context of cacheTemplateContexts(endpoint, contexts)) {
    const rendered = await prepare(connection, template, context, file, cache.template!.sql, input, seen);
    if (rendered === false) {
      markUnbuilt(input, cache.schema, cache.table);
      return false;
    }
    first ??= rendered;
  }
  if (!first) return true;
  try {
    await connection.run(`${dryRunCacheTable(cache, input.cacheCatalog)} AS SELECT * FROM ${asSubquery(first.sql)} LIMIT 0`);
  } catch {
    // Prepared fine but not usable as a subquery (e.g. it binds parameters): endpoints reading it report on their own.
  }
  return true;
}

/**
 * Asks PostgreSQL to describe the cache template (no rows are read) and builds the empty
 * cache table from the answer. When PostgreSQL cannot be reached, a cache table already
 * in db_path stands in; failing that, the endpoint is not dry-run and a warning says why.
 */
async function dryRunPostgresCache(
  connection: DuckDBConnection, endpoint: CompiledEndpoint, template: CompiledTemplate, source: ConnectionSpec,
  contexts: CacheContexts, input: DryRunContext,
): Promise<boolean> {
  const cache = endpoint.spec.cache!;
  const file = endpoint.cacheTemplatePath!;
  let columns: { name: string; type: string }[] | undefined;
  for (const context of cacheTemplateContexts(endpoint, contexts)) {
    let sql: string;
    try {
      sql = renderTemplate(template, context).sql;
    } catch (err) {
      input.diagnostics.push({ severity: 'error', file, line: 1, column: 1, code: 'template-render', message: `cache template cannot be rendered: ${firstLine(err)}` });
      return false;
    }
    try {
      columns ??= await describePostgres(source, sql, input.project.env.rawValues());
    } catch (err) {
      if (err instanceof PostgresQueryError) {
        markUnbuilt(input, cache.schema, cache.table);
        const at = err.offset === undefined ? { line: 1, column: 1 } : templatePositionAtOffset(sql, err.offset, cache.template!.sql);
        input.diagnostics.push({ severity: 'error', file, ...at, code: 'sql', message: `PostgreSQL rejects the cache template: ${firstLine(err)}; fix the template` });
        return false;
      }
      return standInFromDatabase(connection, endpoint, source, err, input);
    }
  }
  if (!columns || columns.length === 0) return true;
  const definition = columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
  await connection.run(`${dryRunCacheTable(cache, input.cacheCatalog)} (${definition})`);
  return true;
}

async function standInFromDatabase(connection: DuckDBConnection, endpoint: CompiledEndpoint, source: ConnectionSpec, err: unknown, input: DryRunContext): Promise<boolean> {
  const cache = endpoint.spec.cache!;
  const reader = await connection.runAndReadAll(
    'SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [cache.schema, cache.table]).catch(() => undefined);
  const persisted = (reader?.getRows().length ?? 0) > 0;
  if (!persisted) markUnbuilt(input, cache.schema, cache.table);
  input.diagnostics.push({ severity: 'warning', ...endpoint.doc.locate(['cache', 'template-file']), code: 'dry-run-skipped',
    message: `cache template not checked: PostgreSQL (connection \`${source.name}\`) could not be reached (${firstLine(err)}); ` +
      (persisted ? `the endpoint template was checked against the cache table in db_path` : 'the endpoint template reading the cache was not dry-run either; run validate where the database is reachable') });
  return persisted;
}

