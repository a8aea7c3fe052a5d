import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Manifest } from '../../runtime/manifest.js';
import type { Fixture } from './test-case.js';

/** Name of the connection whose `init` loads a test file's fixtures. */
export const FIXTURE_CONNECTION = 'flapi-test-fixtures';

/**
 * A copy of the manifest whose database holds the fixtures instead of the sources:
 * the connections' `init` SQL and indexes are dropped (unless `run-init: true`) and one more
 * connection loads every fixture table. The runtime needs no test mode for this.
 */
export async function withFixtures(manifest: Manifest, fixtures: Fixture[], runInit: boolean): Promise<Manifest> {
  if (fixtures.length === 0) return manifest;
  const statements: string[] = [];
  let scratch: string | undefined;
  for (const [i, fixture] of fixtures.entries()) {
    let file = fixture.file;
    if (fixture.rows) {
      scratch ??= await mkdtemp(join(tmpdir(), 'flapi-fixtures-'));
      file = join(scratch, `${i}.json`);
      await writeFile(file, JSON.stringify(fixture.rows));
    }
    statements.push(`CREATE OR REPLACE TABLE ${fixture.table} AS SELECT * FROM ${reader(file ?? '')};`);
    const schema = fixture.table.includes('.') ? fixture.table.split('.')[0] : undefined;
    if (schema) statements.unshift(`CREATE SCHEMA IF NOT EXISTS ${schema};`);
  }
  const connections = Object.fromEntries(
    // The indexes go with init: they name tables init makes, which the fixtures may not.
    Object.entries(manifest.connections).map(([name, c]) => [name, runInit ? c : { ...c, init: undefined, indexes: undefined }]),
  );
  connections[FIXTURE_CONNECTION] = {
    name: FIXTURE_CONNECTION,
    init: statements.join('\n'),
    properties: {},
    logQueries: false,
    logParameters: false,
  };
  // A file-backed database would be changed by the fixtures: tests run in memory.
  return { ...manifest, connections, duckdb: { ...manifest.duckdb, dbPath: undefined } };
}

function reader(file: string): string {
  const path = `'${file.replace(/'/g, "''")}'`;
  switch (extname(file).toLowerCase()) {
    case '.parquet':
      return `read_parquet(${path})`;
    case '.json':
    case '.ndjson':
    case '.jsonl':
      return `read_json_auto(${path})`;
    default:
      return `read_csv(${path}, header = true)`;
  }
}
