/**
 * `flapi validate` warns when a request value reaches the file argument of a DuckDB table
 * function (`read_csv('{{conn.dir}}/{{params.name}}.csv')`): the caller then chooses
 * which file is read, `..` and globs included, within whatever the locked-down database
 * may reach. A parameter with an `enum` validator is spliced only from its allowed
 * values, so it is not reported.
 */
import type { CompiledEndpoint } from '../config/normalise-endpoint.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

const FILE_FUNCTIONS = [
  'read_csv', 'read_csv_auto', 'sniff_csv', 'read_parquet', 'parquet_scan', 'parquet_metadata', 'parquet_schema',
  'parquet_file_metadata', 'parquet_kv_metadata', 'read_json', 'read_json_auto', 'read_json_objects',
  'read_json_objects_auto', 'read_ndjson', 'read_ndjson_auto', 'read_ndjson_objects', 'read_text', 'read_blob',
  'glob', 'read_xlsx', 'st_read', 'iceberg_scan', 'delta_scan', 'read_duckdb',
];
const CALL = new RegExp(`\\b(${FILE_FUNCTIONS.join('|')})\\s*\\(`, 'gi');
const REQUEST_TAG = /\{\{\{?\s*(?:&\s*)?(params|auth)\.([A-Za-z0-9_]+)/g;

export interface FileArgumentUse {
  fn: string;
  namespace: 'params' | 'auth';
  key: string;
  /** Offset of the tag in the template text. */
  offset: number;
}

/** End (exclusive) of the first argument of a call whose `(` is at `open`. */
function firstArgumentEnd(sql: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open + 1; i < sql.length; i++) {
    const c = sql[i]!;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (sql.startsWith('{{', i)) {
      const close = sql.indexOf('}}', i + 2);
      if (close < 0) return sql.length;
      i = close + 1;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return i;
      depth--;
    } else if (c === ',' && depth === 0) return i;
  }
  return sql.length;
}

/** Request values (params.*, auth.*) written inside the file argument of a table function. */
export function fileArgumentUses(sql: string): FileArgumentUse[] {
  const uses: FileArgumentUse[] = [];
  for (const call of sql.matchAll(CALL)) {
    const open = call.index + call[0].length - 1;
    const argument = sql.slice(open + 1, firstArgumentEnd(sql, open));
    for (const tag of argument.matchAll(REQUEST_TAG)) {
      uses.push({ fn: call[1]!.toLowerCase(), namespace: tag[1] as 'params' | 'auth', key: tag[2]!, offset: open + 1 + tag.index });
    }
  }
  return uses;
}

function position(sql: string, offset: number): { line: number; column: number } {
  const before = sql.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

export function checkFileArguments(endpoint: CompiledEndpoint, diagnostics: Diagnostic[]): void {
  const { spec, templatePath } = endpoint;
  if (templatePath === undefined) return;
  const sql = spec.template.sql;
  for (const use of fileArgumentUses(sql)) {
    const param = spec.params.find((p) => p.name === use.key);
    if (use.namespace === 'params' && param?.validators.some((v) => v.type === 'enum')) continue;
    diagnostics.push({
      severity: 'warning',
      security: true,
      code: 'request-chooses-file',
      file: templatePath,
      ...position(sql, use.offset),
      message: `${use.namespace}.${use.key} reaches the file argument of ${use.fn}(), so a caller chooses which file is read (\`..\` and globs included); ` +
        (use.namespace === 'params' ? `give \`${use.key}\` an enum validator, or load the files into tables in connection init` : 'choose the file from a table instead'),
    });
  }
}
