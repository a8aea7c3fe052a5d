/**
 * Every server the bench measures, in the order it measures them. A server that cannot
 * be started yet (a command not built, a build that produced nothing runnable) says why,
 * and its scenarios are reported as not available; adding a server is adding an entry.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './flights-table.js';
import { baselineScenarios, exportScenarios, fastifyScenarios, flightsScenarios, helloScenarios, randomFlightPath, type Scenario } from './scenarios.js';
import type { PreparedBuild } from './built-project.js';
import type { LaunchSpec } from './server-process.js';

export interface BenchContext {
  /** `flapi build examples/flights`, compiled, with its local artifact; or why there is none. */
  built?: PreparedBuild | { unavailable: string };
}

export interface ServerEntry {
  id: string;
  label: string;
  /** A launch spec, or the reason this server cannot run in this checkout. */
  prepare(context: BenchContext): LaunchSpec | { unavailable: string };
  portFlag(port: number): string[];
  scenarios: Scenario[];
  /**
   * Measure bursts of 50 identical concurrent requests on it: misses with fresh
   * parameters on a flapi server, which counts its queries; on bare Koa, the floor.
   */
  burst?: { path: () => string; countQueries: boolean };
}

const TSX = ['--import', 'tsx'];

/** A hand-written peer (bench/servers/): the same number of connections as flapi's default pool (one per core). */
function handWrittenPeer(script: string): LaunchSpec {
  return {
    args: [...TSX, script],
    env: { POOL_SIZE: String(availableParallelism()) },
    cwd: REPO_ROOT,
    readyPath: '/flights/1',
    startTimeoutMs: 60_000,
  };
}

const FLAPI_ENV: Record<string, string> = { FLAPI_HOST: '127.0.0.1', FLAPI_LOG_LEVEL: 'warn' };

/** `flapi dev` of a project folder, relative to the repository or absolute. */
export function flapiDevSpec(project: string, readyPath: string): LaunchSpec | { unavailable: string } {
  if (!existsSync(join(REPO_ROOT, 'dist/cli/main.js'))) return { unavailable: 'dist/ is missing (npm run build failed)' };
  return {
    args: ['bin/flapi.js', 'dev', project],
    env: FLAPI_ENV,
    cwd: REPO_ROOT,
    readyPath,
    startTimeoutMs: 60_000,
  };
}

/** The built server on its local artifact (FLAPI_DATABASE), or without one (init from Parquet). */
export function builtServerSpec(context: BenchContext, onArtifact = true): LaunchSpec | { unavailable: string } {
  const built = context.built;
  if (built === undefined) return { unavailable: '`flapi build` was not run' };
  if ('unavailable' in built) return built;
  return {
    args: [built.entry],
    env: onArtifact ? { ...FLAPI_ENV, FLAPI_DATABASE: built.artifact } : FLAPI_ENV,
    cwd: dirname(dirname(built.entry)),
    readyPath: '/flights/1',
    startTimeoutMs: 60_000,
  };
}

/** bench/servers/cold-start-floor.mjs on the built server's artifact: Koa + DuckDB and nothing else. */
export function coldStartFloorSpec(context: BenchContext): LaunchSpec | { unavailable: string } {
  const built = context.built;
  if (built === undefined) return { unavailable: '`flapi build` was not run' };
  if ('unavailable' in built) return built;
  return {
    args: [join(REPO_ROOT, 'bench/servers/cold-start-floor.mjs')],
    env: { FLAPI_DATABASE: built.artifact },
    cwd: REPO_ROOT,
    readyPath: '/flights/1',
    startTimeoutMs: 60_000,
  };
}

export const SERVERS: ServerEntry[] = [
  {
    id: 'koa-hello',
    label: '(a) bare Koa hello world',
    prepare: () => ({ args: [...TSX, 'bench/servers/koa-hello.ts'], cwd: REPO_ROOT, readyPath: '/', startTimeoutMs: 30_000 }),
    portFlag: () => [],
    scenarios: helloScenarios,
    burst: { path: () => `/burst/${Math.random()}`, countQueries: false },
  },
  {
    id: 'koa-duckdb',
    label: '(b) hand-written Koa + DuckDB',
    prepare: () => handWrittenPeer('bench/servers/koa-duckdb.ts'),
    portFlag: () => [],
    scenarios: baselineScenarios,
  },
  {
    id: 'fastify-duckdb',
    label: '(b′) hand-written Fastify + DuckDB',
    prepare: () => handWrittenPeer('bench/servers/fastify-duckdb.ts'),
    portFlag: () => [],
    scenarios: fastifyScenarios,
  },
  {
    id: 'flapi-dev',
    label: '(c) flapi dev examples/flights',
    prepare: () => flapiDevSpec('examples/flights', '/flights/1'),
    portFlag: (port) => ['--port', String(port)],
    scenarios: [...flightsScenarios('flapi dev'), ...exportScenarios('flapi dev')],
    burst: { path: randomFlightPath, countQueries: true },
  },
  {
    id: 'flapi-built',
    label: '(c) built server (flapi build examples/flights) on a local artifact',
    prepare: (context) => builtServerSpec(context),
    // The generated server reads PORT/FLAPI_PORT only.
    portFlag: () => [],
    scenarios: [...flightsScenarios('built server'), ...exportScenarios('built server')],
    burst: { path: randomFlightPath, countQueries: true },
  },
];
