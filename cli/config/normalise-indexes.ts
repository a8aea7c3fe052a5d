/**
 * `connections.<name>.indexes`: ART indexes on tables the connection's `init` creates.
 * Two forms, the schema checks both:
 *
 *   indexes:                                   indexes:
 *     flights: [id]                              - { table: flights, columns: [id], unique: true }
 *     airports: { columns: [iata], unique: true }
 *
 * A table's value is its columns (a list, or one name) or `{ columns, unique }`; indexes
 * are not unique unless they say so. Entries without a table or a column are left to the
 * schema check.
 */
import type { IndexSpec } from '../../runtime/manifest.js';
import type { YamlPath } from './yaml-document.js';
import { asBoolean, asMap, asString, asStringList } from './yaml-values.js';

export interface WrittenIndex {
  spec: IndexSpec;
  /** Where the entry is written, for diagnostics. */
  path: YamlPath;
}

export function writtenIndexes(value: unknown, at: YamlPath): WrittenIndex[] {
  const entries: { table: string | undefined; body: unknown; path: YamlPath }[] = Array.isArray(value)
    ? value.map((item, i) => ({ table: asString(asMap(item).table), body: item, path: [...at, i] }))
    : Object.entries(asMap(value)).map(([table, body]) => ({ table, body, path: [...at, table] }));
  return entries.flatMap(({ table, body, path }) => {
    const long = typeof body === 'object' && body !== null && !Array.isArray(body);
    const columns = asStringList(long ? asMap(body).columns : body).filter((c) => c !== '');
    if (table === undefined || table === '' || columns.length === 0) return [];
    return [{ spec: { table, columns, unique: long ? asBoolean(asMap(body).unique, false) : false }, path }];
  });
}

export function normaliseIndexes(value: unknown): IndexSpec[] {
  return writtenIndexes(value, []).map((w) => w.spec);
}
