import { existsSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { asSubquery } from '../../runtime/cache/cache-source.js';
import { staticCacheContext } from '../../runtime/cache/cache-target.js';
import { describePostgres, PostgresQueryError } from '../../runtime/cache/postgres-describe.js';
import { quoteIdent } from '../../runtime/cache/sql-names.js';
import { catalogStem } from '../../runtime/db/cache-catalog.js';
import { attachDryRunCatalog } from './dry-run-catalog.js';
import { dryRunSelfWriting } from './dry-run-self-writing.js';
import type { ColumnSpec, ConnectionSpec, Manifest } from '../../runtime/manifest.js';
import { compileTemplate, renderTemplate, type BoundValue, type CompiledTemplate, type TemplateContext } from '../../runtime/template/index.js';
import type { LoadedProject } from '../config/load-project.js';
import type { CompiledEndpoint } from '../config/normalise-endpoint.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { CheckedTemplates } from './check-template.js';
import { describeColumns } from './describe-columns.js';
import { dryRunParams } from './placeholder-values.js';
import { templatePositionAtOffset, templatePositionOf } from './sql-error-position.js';

export interface DryRunInput {
  project: LoadedProject;
  manifest: Manifest;
  /** Endpoints free of errors so far, with their parsed templates. */
  endpoints: { endpoint: CompiledEndpoint; templates: CheckedTemplates }[];
  diagnostics: Diagnostic[];
}

/** Settings that would make an in-memory dry-run fail or touch the outside world. */
const UNSAFE_SETTINGS = new Set(['access_mode', 'autoinstall_known_extensions', 'allow_unsigned_extensions', 'extension_directory']);

/**
 * Prepares every template on an in-memory DuckDB in which each connection's `init` ran,
 * reporting SQL errors at the template line and recording the result columns.
 */
export async function dryRun(input: DryRunInput): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const { manifest, project, diagnostics } = input;
  const settings: Record<string, string> = { autoinstall_known_extensions: 'false' };
  for (const [key, value] of Object.entries(manifest.duckdb.settings)) {
    if (!UNSAFE_SETTINGS.has(key)) settings[key] = String(value);
  }
  let instance;
  try {
    instance = await DuckDBInstance.create(':memory:', settings);
  } catch (err) {
    diagnostics.push({ severity: 'error', ...project.main.locate(['duckdb']), code: 'duckdb-settings',
      message: `DuckDB rejects the duckdb: settings (${firstLine(err)}); fix or remove the setting` });
    instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  }
  const connection = await instance.connect();
  try {
    await attachDatabase(connection, input);
    cacheCatalogs.set(input, await attachDryRunCatalog(connection, input.manifest));
    const env = project.env.allowedValues();
    for (const spec of Object.values(manifest.connections)) {
      if (spec.type || !spec.init) continue;
      await runInit(connection, spec.name, spec.init, { params: {}, conn: spec.properties, env }, input);
    }
    // Every cache table first, so any endpoint may read any cache, whatever the file order.
    const usable = [];
    for (const entry of input.endpoints) {
      if (await buildCacheTable(connection, entry.endpoint, entry.templates, env, input)) usable.push(entry);
    }
    for (const { endpoint, templates } of usable) {
      await dryRunEndpoint(connection, endpoint, templates, env, input);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function attachDatabase(connection: DuckDBConnection, input: DryRunInput): Promise<void> {
  const path = input.manifest.duckdb.dbPath;
  if (!path || /^[a-z][a-z0-9+.-]*:\/\//i.test(path) || !existsSync(path)) return;
  try {
    // Read-only and behind the search path, not USEd: init SQL still creates its objects in memory.
    // Under the catalog name the server gives the file, so names qualified with it resolve alike.
    const catalog = catalogStem(input.manifest.duckdb).replace(/"/g, '""');
    await connection.run(`ATTACH '${path.replace(/'/g, "''")}' AS "${catalog}" (READ_ONLY)`);
    const schemas = await connection.runAndReadAll(
      'SELECT schema_name FROM information_schema.schemata WHERE catalog_name = $1 ORDER BY schema_name <> \'main\', schema_name', [catalogStem(input.manifest.duckdb)]);
    const searchPath = ['memory.main', ...schemas.getRows().map(([name]) => `"${catalog}"."${String(name).replace(/"/g, '""')}"`)].join(',');
    await connection.run(`SET search_path = '${searchPath.replace(/'/g, "''")}'`);
  } catch (err) {
    input.diagnostics.push({ severity: 'warning', ...input.project.main.locate(['duckdb', 'db_path']), code: 'dry-run-db',
      message: `could not open db_path for the dry-run (${firstLine(err)}); templates reading it may report missing tables` });
  }
}

async function runInit(connection: DuckDBConnection, name: string, init: string, context: TemplateContext, input: DryRunInput): Promise<void> {
  const at = input.project.main.locate(['connections', name, 'init']);
  try {
    const sql = renderTemplate(compileTemplate(init), context).sql;
    await connection.run(sql);
  } catch (err) {
    const line = /LINE (\d+):/.exec(String((err as Error).message))?.[1];
    input.diagnostics.push({ severity: 'error', ...at, code: 'init-sql',
      message: `init SQL of connection \`${name}\` fails${line ? ` (line ${line} of init)` : ''}: ${firstLine(err)}; fix the SQL` });
  }
}

/** Builds an endpoint's empty cache table from its cache template; false when the endpoint cannot be dry-run. */
async function buildCacheTable(connection: DuckDBConnection, endpoint: CompiledEndpoint, templates: CheckedTemplates, env: Record<string, string>, input: DryRunInput): Promise<boolean> {
  const { spec } = endpoint;
  if (!spec.cache || !templates.cache || !endpoint.cacheTemplatePath) return true;
  const conn = input.manifest.connections[spec.connection[0] ?? '']?.properties ?? {};
  const source = spec.connection.map((c) => input.manifest.connections[c]).find((c) => c?.type !== undefined && c.type !== 'duckdb');
  const contexts = { conn, env, cache: staticCacheContext(spec.cache, catalogOf(input)) };
  return source
    ? dryRunPostgresCache(connection, endpoint, templates.cache, source, contexts, input)
    : dryRunDuckdbCache(connection, endpoint, templates.cache, contexts, input);
}

async function dryRunEndpoint(connection: DuckDBConnection, endpoint: CompiledEndpoint, templates: CheckedTemplates, env: Record<string, string>, input: DryRunInput): Promise<void> {
  const { spec } = endpoint;
  const conn = input.manifest.connections[spec.connection[0] ?? '']?.properties ?? {};
  const cache = spec.cache ? staticCacheContext(spec.cache, catalogOf(input)) : undefined;
  if (!templates.main || !endpoint.templatePath) return;
  const auth = { username: 'user', email: 'user@example.com', roles: [], type: 'basic', authenticated: true };
  const paging = spec.pagination ? { limit: input.manifest.server.defaultLimit } : undefined;
  let columns: ColumnSpec[] | undefined;
  const seen = new Set<string>();
  for (const params of dryRunParams(spec.params, paging)) {
    const result = await prepare(connection, templates.main, { params, conn, env, auth, ...(cache ? { cache } : {}) }, endpoint.templatePath, spec.template.sql, input, seen);
    if (result === false) return;
    columns ??= result?.columns;
  }
  spec.columns = columns ?? [];
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
async function dryRunDuckdbCache(connection: DuckDBConnection, endpoint: CompiledEndpoint, template: CompiledTemplate, contexts: CacheContexts, input: DryRunInput): Promise<boolean> {
  const cache = endpoint.spec.cache!;
  const file = endpoint.cacheTemplatePath!;
  const [firstContext] = cacheTemplateContexts(endpoint, contexts);
  const selfWriting = await dryRunSelfWriting(connection, template, firstContext!, catalogOf(input), cache.schema, file, input.diagnostics);
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
    await connection.run(`${dryRunCacheTable(cache, catalogOf(input))} AS SELECT * FROM ${asSubquery(first.sql)} LIMIT 0`);
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
  contexts: CacheContexts, input: DryRunInput,
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
  await connection.run(`${dryRunCacheTable(cache, catalogOf(input))} (${definition})`);
  return true;
}

async function standInFromDatabase(connection: DuckDBConnection, endpoint: CompiledEndpoint, source: ConnectionSpec, err: unknown, input: DryRunInput): Promise<boolean> {
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

/** Renders and prepares one template; false when it failed (already reported). */
async function prepare(
  connection: DuckDBConnection, template: CompiledTemplate, context: TemplateContext,
  file: string, source: string, input: DryRunInput, seen = new Set<string>(),
): Promise<{ sql: string; columns: ColumnSpec[] } | undefined | false> {
  let sql: string;
  let values: readonly BoundValue[];
  try {
    ({ sql, values } = renderTemplate(template, context));
  } catch (err) {
    input.diagnostics.push({ severity: 'error', file, line: 1, column: 1, code: 'template-render',
      message: `template cannot be rendered with the declared defaults and examples: ${firstLine(err)}` });
    return false;
  }
  if (seen.has(sql)) return undefined;
  seen.add(sql);
  try {
    const statement = await connection.prepare(sql);
    return { sql, columns: await describeColumns(connection, statement, sql, values) };
  } catch (err) {
    const message = String((err as Error).message ?? err);
    const at = templatePositionOf(message, sql, source);
    const unknownCache = readsUnbuiltCache(message, unbuiltCaches.get(input));
    if (unknownCache !== undefined) {
      input.diagnostics.push({ severity: 'warning', file, ...at, code: 'dry-run-skipped',
        message: `not dry-run: reads the cache ${unknownCache}, whose columns are unknown because its cache template could not be checked` });
      return false;
    }
    input.diagnostics.push({ severity: 'error', file, ...at, code: 'sql',
      message: `SQL error in dry-run: ${firstLine(err)}; fix the template (rendered with defaults, examples or placeholder values)` });
    return false;
  }
}

/** Cache tables the dry-run could not build (their source was unreachable), per run. */
const unbuiltCaches = new WeakMap<DryRunInput, Set<string>>();

/** The catalog cache tables are built in, per run (see dry-run-catalog.ts). */
const cacheCatalogs = new WeakMap<DryRunInput, string>();
const catalogOf = (input: DryRunInput): string => cacheCatalogs.get(input) ?? 'memory';

function markUnbuilt(input: DryRunInput, schema: string, table: string): void {
  const set = unbuiltCaches.get(input) ?? new Set<string>();
  set.add(`${schema}.${table}`);
  unbuiltCaches.set(input, set);
}

/** The missing-table error of a template reading a cache the dry-run could not build. */
function readsUnbuiltCache(message: string, unbuilt: Set<string> | undefined): string | undefined {
  if (unbuilt === undefined || !/does not exist/.test(message)) return undefined;
  const names = [...unbuilt];
  return names.find((name) => message.includes(`"${name}"`) || message.includes(`"${name.split('.')[1]}"`))
    ?? names.find((name) => message.includes(`schema "${name.split('.')[0]}" does not exist`));
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.trim();
}
