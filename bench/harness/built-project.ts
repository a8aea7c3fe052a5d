/**
 * Makes the output of `flapi build examples/flights` runnable without the network, the
 * way its README says (`npm install`, `npm run build`) but offline: its `node_modules`
 * links this checkout's installed packages (the versions the build declares) plus the
 * vendored runtime, and this checkout's TypeScript compiles it. Also writes the local
 * artifact the built server's cold start is measured on: `flapi bake` when it exists,
 * else the same tables the project's `init` builds, in a DuckDB file with the artifact
 * metadata the runtime reads.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeArtifactMetadata } from '../../runtime/artifact/index.js';
import { createFlightsIndexSql, createFlightsTableSql, OFFLINE_DUCKDB_OPTIONS, REPO_ROOT } from './flights-table.js';

export interface PreparedBuild {
  /** Compiled entry point (`dist/server.js`). */
  entry: string;
  /** The DuckDB artifact for `FLAPI_DATABASE`. */
  artifact: string;
  /** How the artifact was made. */
  artifactSource: 'flapi bake' | 'bench';
  /** Wall clock of the offline `npm run build` (tsc). */
  compileMs: number;
}

/** node_modules of `out`: one link per installed package, the vendored runtime as @flapi/runtime. */
function linkModules(out: string): void {
  const target = join(out, 'node_modules');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target);
  const installed = join(REPO_ROOT, 'node_modules');
  for (const name of readdirSync(installed)) {
    if (name.startsWith('.') || name === '@flapi') continue;
    symlinkSync(join(installed, name), join(target, name));
  }
  mkdirSync(join(target, '@flapi'));
  symlinkSync(join(out, 'vendor', 'flapi-runtime'), join(target, '@flapi', 'runtime'));
}

function compile(out: string): number {
  const started = performance.now();
  const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: out, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tsc in the build output failed: ${result.stdout.slice(0, 600)}`);
  return performance.now() - started;
}

function bake(file: string): boolean {
  const result = spawnSync(process.execPath, ['bin/flapi.js', 'bake', 'examples/flights', '--out', file], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return result.status === 0 && existsSync(file);
}

const AIRPORTS_SQL = (csv: string) =>
  `CREATE TABLE airports AS SELECT * FROM read_csv('${csv.replaceAll("'", "''")}', header = true)`;

/** The tables (and index) examples/flights' `init` creates, checkpointed into `file` with artifact metadata. */
async function writeFlightsArtifact(file: string): Promise<void> {
  rmSync(file, { force: true });
  const instance = await DuckDBInstance.create(file, OFFLINE_DUCKDB_OPTIONS);
  const connection = await instance.connect();
  try {
    await connection.run(createFlightsTableSql());
    await connection.run(createFlightsIndexSql());
    await connection.run(AIRPORTS_SQL(join(REPO_ROOT, 'node_modules/vega-datasets/data/airports.csv')));
    const count = async (table: string) => Number((await connection.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0]![0]);
    await writeArtifactMetadata(connection, {
      version: `bench-${Date.now()}`,
      builtAt: new Date().toISOString(),
      flapiVersion: 'bench',
      project: 'flights',
      source: { bench: 'tables of examples/flights init' },
      tables: [
        { schema: 'main', name: 'flights', rows: await count('flights'), origin: 'init' },
        { schema: 'main', name: 'airports', rows: await count('airports'), origin: 'init' },
      ],
    });
    await connection.run('CHECKPOINT');
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export async function prepareBuiltProject(out: string): Promise<PreparedBuild> {
  linkModules(out);
  const compileMs = compile(out);
  const entry = join(out, 'dist', 'server.js');
  if (!existsSync(entry)) throw new Error('the build output compiled to no dist/server.js');
  const artifact = join(out, 'flights.duckdb');
  const baked = bake(artifact);
  if (!baked) await writeFlightsArtifact(artifact);
  return { entry, artifact, artifactSource: baked ? 'flapi bake' : 'bench', compileMs };
}
