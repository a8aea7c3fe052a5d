/**
 * The dry-run's word on key lookups: an endpoint that looks rows up by one bound key
 * (runtime/plan/lookup-shape.ts) but that DuckDB answers by scanning a large table is
 * reported, with how to give it an index. Small tables are left alone: a scan of them
 * costs about what an index probe does.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { analyseLookup, type TableName } from '../../runtime/plan/index.js';
import type { RenderedSql } from '../../runtime/template/index.js';
import type { CompiledEndpoint } from '../config/normalise-endpoint.js';
import type { DryRunContext } from './dry-run-input.js';

/** Rows from which a scan per lookup is worth a warning. */
export const SCAN_WARNING_ROWS = 100_000;

async function estimatedRows(connection: DuckDBConnection, name: TableName): Promise<number> {
  const reader = await connection.runAndReadAll(
    `SELECT max(estimated_size) FROM duckdb_tables()
     WHERE table_name = $1 AND ($2 = '' OR schema_name = $2) AND ($3 = '' OR database_name = $3)`,
    [name.table, name.schema, name.catalog]);
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

/** The template line that binds the key: where the warning points. */
function keyLine(source: string): number {
  const index = source.split('\n').findIndex((line) => /\{\{\{?\s*params\./.test(line) && /=/.test(line));
  return index < 0 ? 1 : index + 1;
}

export async function checkLookup(connection: DuckDBConnection, endpoint: CompiledEndpoint, rendered: RenderedSql, input: DryRunContext): Promise<void> {
  const { spec } = endpoint;
  if (spec.method !== 'GET' || spec.operation.type !== 'read' || rendered.values.length !== 1 || !endpoint.templatePath) return;
  const verdict = await analyseLookup(connection, rendered.sql, rendered.values[0]!);
  if (verdict.kind !== 'batch' || verdict.indexed || verdict.table === undefined) return;
  const rows = await estimatedRows(connection, verdict.table).catch(() => 0);
  if (rows < SCAN_WARNING_ROWS) return;
  const table = verdict.table.table;
  input.diagnostics.push({
    severity: 'warning', file: endpoint.templatePath, line: keyLine(spec.template.sql), column: 1, code: 'lookup-scans',
    message: `looks rows up by \`${verdict.column}\` but DuckDB scans all ~${rows.toLocaleString('en-US')} rows of \`${table}\` for each request; ` +
      `declare an index on it (\`indexes: { ${table}: [${verdict.column.split('.').pop()}] }\` on the connection, or \`primary-key\` on its cache), ` +
      'and keep the key condition alone in the WHERE (DuckDB uses an index only for a condition on the indexed column alone)',
  });
}
