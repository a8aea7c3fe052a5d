import { existsSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { staticCacheContext } from '../../runtime/cache/cache-target.js';
import type { ColumnSpec } from '../../runtime/manifest.js';
import { renderInit } from '../../runtime/db/render-init.js';
import { catalogStem } from '../../runtime/db/cache-catalog.js';
import { attachDryRunCatalog } from './dry-run-catalog.js';
import { compilePlan, sampleRenders } from '../../runtime/plan/index.js';
import type { CompiledEndpoint } from '../config/normalise-endpoint.js';
import type { CheckedTemplates } from './check-template.js';
import { buildCacheTable } from './dry-run-caches.js';
import { dryRunDeclaredIndexes, dryRunKeyIndex } from './dry-run-indexes.js';
import type { DryRunContext, DryRunInput } from './dry-run-input.js';
import { firstLine, prepareRendered, renderFailed } from './dry-run-prepare.js';
import { dryRunWrite } from './dry-run-writes.js';
import { checkLookup } from './dry-run-lookups.js';

export type { DryRunInput } from './dry-run-input.js';

interface InitContext {
  conn: Readonly<Record<string, string | number | boolean>>;
  env: Readonly<Record<string, string>>;
}

/** Settings that would make an in-memory dry-run fail or touch the outside world. */
const UNSAFE_SETTINGS = new Set(['access_mode', 'autoinstall_known_extensions', 'allow_unsigned_extensions', 'extension_directory']);

/** The result columns the dry-run described, by endpoint name. */
export type DescribedColumns = Map<string, ColumnSpec[]>;

/**
 * Prepares every template on an in-memory DuckDB in which each connection's `init` ran,
 * reporting SQL errors at the template line, and returns each endpoint's result columns.
 */
export async function dryRun(dryRunInput: DryRunInput): Promise<DescribedColumns> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const input: DryRunContext = { ...dryRunInput, unbuilt: new Set(), cacheCatalog: 'memory' };
  const described: DescribedColumns = new Map();
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
    input.cacheCatalog = await attachDryRunCatalog(connection, input.manifest);
    const env = project.env.allowedValues();
    const initialised = new Set<string>();
    for (const spec of Object.values(manifest.connections)) {
      if (spec.type) continue;
      if (!spec.init || await runInit(connection, spec.name, spec.init, { conn: spec.properties, env }, input)) initialised.add(spec.name);
    }
    await dryRunDeclaredIndexes(connection, input, initialised);
    // Every cache table first, so any endpoint may read any cache, whatever the file order.
    const usable = [];
    for (const entry of input.endpoints) {
      if (!(await buildCacheTable(connection, entry.endpoint, entry.templates, env, input))) continue;
      await dryRunKeyIndex(connection, entry.endpoint, input);
      usable.push(entry);
    }
    for (const { endpoint, templates } of usable) {
      const columns = await dryRunEndpoint(connection, endpoint, templates, env, input);
      if (columns !== undefined) described.set(endpoint.spec.name, columns);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return described;
}

async function attachDatabase(connection: DuckDBConnection, input: DryRunContext): Promise<void> {
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

/** False when init failed (reported). */
async function runInit(connection: DuckDBConnection, name: string, init: string, context: InitContext, input: DryRunContext): Promise<boolean> {
  const at = input.project.main.locate(['connections', name, 'init']);
  try {
    // The server's own renderer: validate must refuse any init the server would.
    await connection.run(renderInit(init, context.conn, context.env));
    return true;
  } catch (err) {
    const line = /LINE (\d+):/.exec(String((err as Error).message))?.[1];
    input.diagnostics.push({ severity: 'error', ...at, code: 'init-sql',
      message: `init SQL of connection \`${name}\` fails${line ? ` (line ${line} of init)` : ''}: ${firstLine(err)}; fix the SQL` });
    return false;
  }
}

/** Prepares the samples the endpoint's plan renders (runtime/plan/sample-renders.ts); its columns, unless it failed. */
async function dryRunEndpoint(connection: DuckDBConnection, endpoint: CompiledEndpoint, templates: CheckedTemplates, env: Record<string, string>, input: DryRunContext): Promise<ColumnSpec[] | undefined> {
  const { spec } = endpoint;
  if (!templates.main || !endpoint.templatePath) return undefined;
  const conn = input.manifest.connections[spec.connection[0] ?? '']?.properties ?? {};
  const cache = spec.cache ? staticCacheContext(spec.cache, input.cacheCatalog) : undefined;
  let samples;
  try {
    samples = sampleRenders(compilePlan(spec, input.manifest.server, { conn, env, ...(cache ? { cache } : {}) }), input.manifest.server.defaultLimit);
  } catch (err) {
    input.diagnostics.push({ severity: 'error', file: endpoint.templatePath, line: 1, column: 1, code: 'template-render', message: `endpoint cannot be compiled: ${firstLine(err)}` });
    return undefined;
  }
  let columns: ColumnSpec[] | undefined;
  for (const sample of samples) {
    if (!sample.ok) {
      renderFailed(input, endpoint.templatePath, sample.error);
      return undefined;
    }
    const result = spec.operation.type === 'write'
      ? await dryRunWrite(connection, sample.rendered, endpoint.templatePath, spec.template.sql, input)
      : await prepareRendered(connection, sample.rendered, endpoint.templatePath, spec.template.sql, input);
    if (result === false) return undefined;
    columns ??= result.columns;
    if (spec.operation.type === 'read') await checkLookup(connection, endpoint, sample.rendered, input);
  }
  return columns ?? [];
}

