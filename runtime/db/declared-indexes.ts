/**
 * The indexes connections declare (`connections.<name>.indexes`). They are created once
 * every connection's `init` has run, so an index may name a table any init created, and
 * again wherever init runs again (a `flapi dev` reload, `flapi bake`): creating an index
 * that exists is a no-op. A read-only artifact already holds them: the bake made them.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { IndexSpec, Manifest } from '../manifest.js';
import { createIndexSql, dropTwinIndexSql, tableNameParts, type TableIndex } from './table-index.js';

export interface DeclaredIndex {
  connection: string;
  spec: IndexSpec;
}

function declaredIndexes(manifest: Pick<Manifest, 'connections'>): DeclaredIndex[] {
  return Object.values(manifest.connections).flatMap((c) => (c.indexes ?? []).map((spec) => ({ connection: c.name, spec })));
}

export function tableIndexOf(spec: IndexSpec): TableIndex {
  return { table: tableNameParts(spec.table), columns: spec.columns, unique: spec.unique };
}

/** Creates one declared index (and drops its twin of the other uniqueness); throws what `indexProblem` says. */
export async function createDeclaredIndex(conn: DuckDBConnection, index: DeclaredIndex): Promise<void> {
  const table = tableIndexOf(index.spec);
  try {
    await conn.run(createIndexSql(table));
    await conn.run(dropTwinIndexSql(table));
  } catch (err) {
    throw new Error(indexProblem(index, err), { cause: err });
  }
}

export async function createDeclaredIndexes(conn: DuckDBConnection, manifest: Pick<Manifest, 'connections'>): Promise<void> {
  for (const index of declaredIndexes(manifest)) await createDeclaredIndex(conn, index);
}

/** What went wrong creating a declared index, and what to do about it. */
export function indexProblem(index: DeclaredIndex, err: unknown): string {
  const { spec } = index;
  const detail = String((err as Error).message ?? err).split('\n')[0]!;
  const hint = /duplicates/i.test(detail)
    ? 'the table has rows with the same key: remove `unique: true` or make the key unique'
    : /invalid type for index key/i.test(detail)
      ? 'index only columns of plain types (numbers, text, dates), not lists or structs'
      : /base table/i.test(detail)
        ? 'index the table the view reads instead'
        : /column/i.test(detail)
          ? `name columns that ${spec.table} has`
          : `name a table that \`init\` creates`;
  return `connection \`${index.connection}\` declares ${spec.unique ? 'a unique' : 'an'} index on ${spec.table}(${spec.columns.join(', ')}) that cannot be created (${detail}); ${hint}`;
}
