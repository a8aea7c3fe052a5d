/**
 * The metadata `flapi bake` writes into every artifact: one row naming the version, and
 * one row per baked table with its row count. The runtime reports the version in
 * `/_flapi/ready` and checks the counts when it loads a file; an artifact made by other
 * tools (no metadata) is still served, named by its ETag.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Database } from '../db/index.js';

export const METADATA_TABLE = '_flapi_artifact';
export const TABLES_TABLE = '_flapi_artifact_tables';

export interface BakedTable {
  schema: string;
  name: string;
  rows: number;
  /** Where it came from: `init` of a connection, or `cache` of an endpoint. */
  origin: string;
}

export interface ArtifactMetadata {
  version: string;
  builtAt: string;
  flapiVersion: string;
  project: string;
  /** What the data was made from (files with size and mtime, cache snapshots), as JSON. */
  source: unknown;
  tables: BakedTable[];
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export async function writeArtifactMetadata(connection: DuckDBConnection, metadata: ArtifactMetadata): Promise<void> {
  await connection.run(`CREATE OR REPLACE TABLE ${METADATA_TABLE} (
    version VARCHAR NOT NULL, built_at TIMESTAMPTZ NOT NULL, flapi_version VARCHAR, project VARCHAR, source VARCHAR)`);
  await connection.run(`CREATE OR REPLACE TABLE ${TABLES_TABLE} (
    schema_name VARCHAR NOT NULL, table_name VARCHAR NOT NULL, row_count BIGINT NOT NULL, origin VARCHAR)`);
  await connection.run(`INSERT INTO ${METADATA_TABLE} VALUES (${quote(metadata.version)}, ${quote(metadata.builtAt)}::TIMESTAMPTZ,
    ${quote(metadata.flapiVersion)}, ${quote(metadata.project)}, ${quote(JSON.stringify(metadata.source))})`);
  for (const t of metadata.tables) {
    await connection.run(`INSERT INTO ${TABLES_TABLE} VALUES (${quote(t.schema)}, ${quote(t.name)}, ${Math.trunc(t.rows)}, ${quote(t.origin)})`);
  }
}

/** The artifact's metadata, or undefined when the file holds none. */
export async function readArtifactMetadata(database: Database): Promise<ArtifactMetadata | undefined> {
  const present = await database.query(
    `SELECT count(*) AS n FROM duckdb_tables() WHERE schema_name = 'main' AND table_name IN ('${METADATA_TABLE}', '${TABLES_TABLE}')`);
  if (Number(present.rows[0]?.['n']) < 2) return undefined;
  const head = (await database.query(
    `SELECT version, strftime(built_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS built_at, flapi_version, project, source FROM ${METADATA_TABLE} LIMIT 1`)).rows[0];
  if (head === undefined) return undefined;
  const tables = await database.query(`SELECT schema_name, table_name, row_count, origin FROM ${TABLES_TABLE} ORDER BY schema_name, table_name`);
  let source: unknown;
  try {
    source = JSON.parse(String(head['source'] ?? 'null'));
  } catch {
    source = head['source'];
  }
  return {
    version: String(head['version']),
    builtAt: String(head['built_at']),
    flapiVersion: String(head['flapi_version'] ?? ''),
    project: String(head['project'] ?? ''),
    source,
    tables: tables.rows.map((r) => ({ schema: String(r['schema_name']), name: String(r['table_name']), rows: Number(r['row_count']), origin: String(r['origin'] ?? '') })),
  };
}
