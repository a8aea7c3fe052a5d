/**
 * Small artifact files for the artifact tests, written the way `flapi bake` writes them
 * (tables, metadata, CHECKPOINT), plus the manifest that serves them and the broken
 * variants a store might be handed.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, rmSync } from 'node:fs';
import { writeArtifactMetadata } from '../../runtime/artifact/index.js';
import type { Manifest } from '../../runtime/manifest.js';
import { endpoint, manifest } from '../serve-fixture.js';

export interface ArtifactSpec {
  /** The version recorded in the metadata and answered by `/which`. */
  label: string;
  /** Rows in `flights` (default 30). */
  rows?: number;
  /** Leave the `flights` table out (an artifact missing what an endpoint reads). */
  withoutFlights?: boolean;
  /** Write no metadata tables (an artifact made by other tools). */
  withoutMetadata?: boolean;
}

export async function writeArtifact(file: string, spec: ArtifactSpec): Promise<void> {
  rmSync(file, { force: true });
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  try {
    const rows = spec.rows ?? 30;
    await connection.run(`CREATE TABLE info AS SELECT '${spec.label}' AS label`);
    const tables = [{ schema: 'main', name: 'info', rows: 1, origin: 'test' }];
    if (!spec.withoutFlights) {
      await connection.run(`CREATE TABLE flights AS SELECT i AS id, CASE i % 3 WHEN 0 THEN 'JFK' WHEN 1 THEN 'LAX' ELSE 'SFO' END AS origin,
        '${spec.label}' AS label FROM range(1, ${rows + 1}) t(i)`);
      tables.push({ schema: 'main', name: 'flights', rows, origin: 'test' });
    }
    if (!spec.withoutMetadata) {
      await writeArtifactMetadata(connection, {
        version: spec.label, builtAt: new Date().toISOString(), flapiVersion: 'test', project: 'test', source: { test: true }, tables,
      });
    }
    await connection.run('CHECKPOINT');
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export async function artifactBytes(spec: ArtifactSpec, scratch: string): Promise<Buffer> {
  await writeArtifact(scratch, spec);
  const bytes = readFileSync(scratch);
  rmSync(scratch, { force: true });
  return bytes;
}

/**
 * Endpoints over an artifact: `/which` names the version, `/flights/:id` reads the table.
 * The init SQL would fail on a read-only file, so it also proves init is skipped.
 */
export function artifactManifest(dbPath: string, artifact: NonNullable<Manifest['duckdb']['artifact']> = { pollIntervalMs: 0 }): Manifest {
  const m = manifest(
    [
      endpoint({ urlPath: '/which', sql: 'SELECT label FROM info' }),
      endpoint({
        urlPath: '/flights/:id',
        sql: 'SELECT id, origin, label FROM flights WHERE id = {{params.id}}',
        params: [{ name: 'id', in: 'path', required: true, validators: [{ type: 'int' }] }],
      }),
    ],
    'CREATE TABLE flights AS SELECT 1 AS id',
  );
  return { ...m, server: { ...m.server, responseCacheBytes: 1 << 20 }, duckdb: { ...m.duckdb, dbPath, artifact } };
}

/** A logger that keeps every line, for asserting what the operator is told. */
export function recordingLogger(): { lines: { level: string; message: string }[]; logger: import('../../runtime/app/logger.js').Logger } {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}
