import { existsSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnSpec, Manifest } from '../../runtime/manifest.js';
import { compileTemplate, renderTemplate, type CompiledTemplate, type TemplateContext } from '../../runtime/template/index.js';
import type { LoadedProject } from '../config/load-project.js';
import type { CompiledEndpoint } from '../config/normalise-endpoint.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { CheckedTemplates } from './check-template.js';
import { dryRunParams } from './placeholder-values.js';
import { templatePositionOf } from './sql-error-position.js';

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
    const env = project.env.allowedValues();
    for (const spec of Object.values(manifest.connections)) {
      if (spec.type || !spec.init) continue;
      await runInit(connection, spec.name, spec.init, { params: {}, conn: spec.properties, env }, input);
    }
    for (const { endpoint, templates } of input.endpoints) {
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
    await connection.run(`ATTACH '${path.replace(/'/g, "''")}' AS project_db (READ_ONLY)`);
    const schemas = await connection.runAndReadAll(
      "SELECT schema_name FROM information_schema.schemata WHERE catalog_name = 'project_db' ORDER BY schema_name <> 'main', schema_name");
    const searchPath = ['memory.main', ...schemas.getRows().map(([name]) => `project_db.${String(name)}`)].join(',');
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

async function dryRunEndpoint(connection: DuckDBConnection, endpoint: CompiledEndpoint, templates: CheckedTemplates, env: Record<string, string>, input: DryRunInput): Promise<void> {
  const { spec } = endpoint;
  const conn = input.manifest.connections[spec.connection[0] ?? '']?.properties ?? {};
  const sourceType = spec.connection.map((c) => input.manifest.connections[c]?.type).find(Boolean);
  if (sourceType) {
    input.diagnostics.push({ severity: 'warning', ...endpoint.doc.locate(['connection']), code: 'dry-run-skipped',
      message: `not dry-run: connection type \`${sourceType}\` cannot be reached at validate time; run \`flapi test\` against fixture data instead` });
    return;
  }
  const cache = spec.cache
    ? { catalog: spec.cache.catalog ?? 'memory', schema: spec.cache.schema, table: spec.cache.table, mode: spec.cache.mode,
        primaryKeys: spec.cache.primaryKey, cursorColumn: spec.cache.cursor?.column }
    : undefined;
  if (spec.cache && templates.cache && endpoint.cacheTemplatePath) {
    const rendered = await prepare(connection, templates.cache, { params: {}, conn, env, cache }, endpoint.cacheTemplatePath, spec.cache.template!.sql, input);
    if (!rendered) return;
    const target = `"${spec.cache.schema}"."${spec.cache.table}"`;
    try {
      await connection.run(`CREATE SCHEMA IF NOT EXISTS "${spec.cache.schema}"; CREATE OR REPLACE TABLE ${target} AS SELECT * FROM (${rendered.sql.replace(/;\s*$/, '')}) LIMIT 0`);
    } catch {
      // Prepared fine but not usable as a subquery (e.g. it binds parameters): endpoints reading it report on their own.
    }
  }
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

/** Renders and prepares one template; false when it failed (already reported). */
async function prepare(
  connection: DuckDBConnection, template: CompiledTemplate, context: TemplateContext,
  file: string, source: string, input: DryRunInput, seen = new Set<string>(),
): Promise<{ sql: string; columns: ColumnSpec[] } | undefined | false> {
  let sql: string;
  try {
    sql = renderTemplate(template, context).sql;
  } catch (err) {
    input.diagnostics.push({ severity: 'error', file, line: 1, column: 1, code: 'template-render',
      message: `template cannot be rendered with the declared defaults and examples: ${firstLine(err)}` });
    return false;
  }
  if (seen.has(sql)) return undefined;
  seen.add(sql);
  try {
    const statement = await connection.prepare(sql);
    const columns: ColumnSpec[] = [];
    for (let i = 0; i < statement.columnCount; i++) {
      columns.push({ name: statement.columnName(i), type: statement.columnType(i).toString(), nullable: true });
    }
    return { sql, columns };
  } catch (err) {
    const message = String((err as Error).message ?? err);
    const at = templatePositionOf(message, sql, source);
    input.diagnostics.push({ severity: 'error', file, ...at, code: 'sql',
      message: `SQL error in dry-run: ${firstLine(err)}; fix the template (rendered with defaults, examples or placeholder values)` });
    return false;
  }
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.trim();
}
