/**
 * Rendering and preparing one template in the dry-run database, with its errors mapped
 * back to the template's own line, and the record of cache tables the dry-run could not
 * build (endpoints reading them are skipped with a warning, not failed).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnSpec } from '../../runtime/manifest.js';
import { renderTemplate, type BoundValue, type CompiledTemplate, type TemplateContext } from '../../runtime/template/index.js';
import type { DryRunContext } from './dry-run-input.js';
import { describeColumns } from './describe-columns.js';
import { sqlErrorSummary, templatePositionOf } from './sql-error-position.js';

export function renderFailed(input: DryRunContext, file: string, err: unknown): void {
  input.diagnostics.push({ severity: 'error', file, line: 1, column: 1, code: 'template-render',
    message: `template cannot be rendered with the declared defaults and examples: ${firstLine(err)}` });
}

/** Renders and prepares one template; false when it failed (already reported). */
export async function prepare(
  connection: DuckDBConnection, template: CompiledTemplate, context: TemplateContext,
  file: string, source: string, input: DryRunContext, seen = new Set<string>(),
): Promise<{ sql: string; columns: ColumnSpec[] } | undefined | false> {
  let rendered: { sql: string; values: readonly BoundValue[] };
  try {
    rendered = renderTemplate(template, context);
  } catch (err) {
    renderFailed(input, file, err);
    return false;
  }
  if (seen.has(rendered.sql)) return undefined;
  seen.add(rendered.sql);
  return prepareRendered(connection, rendered, file, source, input);
}

/** Prepares rendered SQL and describes its columns; false when it failed (already reported). */
export async function prepareRendered(
  connection: DuckDBConnection, rendered: { sql: string; values: readonly BoundValue[] }, file: string, source: string, input: DryRunContext,
  options: { write?: boolean } = {},
): Promise<{ sql: string; columns: ColumnSpec[] } | false> {
  const { sql, values } = rendered;
  try {
    const statement = await connection.prepare(sql);
    return { sql, columns: await describeColumns(connection, statement, sql, values) };
  } catch (err) {
    const message = String((err as Error).message ?? err);
    const at = templatePositionOf(message, sql, source);
    const unknownCache = readsUnbuiltCache(message, input.unbuilt);
    if (unknownCache !== undefined) {
      input.diagnostics.push({ severity: 'warning', file, ...at, code: 'dry-run-skipped',
        message: `not dry-run: reads the cache ${unknownCache}, whose columns are unknown because its cache template could not be checked` });
      return false;
    }
    // A write may target a table another endpoint's template creates at run time (flAPI projects do).
    if (options.write === true && /Table with name .* does not exist/.test(message)) {
      input.diagnostics.push({ severity: 'warning', file, ...at, code: 'dry-run-skipped',
        message: `not dry-run: ${sqlErrorSummary(err)}; fine if another endpoint creates the table before this one runs` });
      return false;
    }
    input.diagnostics.push({ severity: 'error', file, ...at, code: 'sql',
      message: `SQL error in dry-run: ${sqlErrorSummary(err)}; fix the template (rendered with defaults, examples or placeholder values)` });
    return false;
  }
}

/** A cache table the dry-run could not build: endpoints reading it are skipped, not failed. */
export function markUnbuilt(input: DryRunContext, schema: string, table: string): void {
  input.unbuilt.add(`${schema}.${table}`);
}

/** The missing-table error of a template reading a cache the dry-run could not build. */
function readsUnbuiltCache(message: string, unbuilt: Set<string>): string | undefined {
  if (unbuilt.size === 0 || !/does not exist/.test(message)) return undefined;
  const names = [...unbuilt];
  return names.find((name) => message.includes(`"${name}"`) || message.includes(`"${name.split('.')[1]}"`))
    ?? names.find((name) => message.includes(`schema "${name.split('.')[0]}" does not exist`));
}

export function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.trim();
}
