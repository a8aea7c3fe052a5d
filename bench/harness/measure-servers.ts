/**
 * The load part of a bench run: every server started (each start-up timed while the
 * others sit idle) together with the in-process DuckDB floor, all scenarios measured in
 * interleaved rounds with each server's CPU read from /proc, then the burst of
 * identical misses on the flapi servers; everything stopped at the end.
 */
import { availableParallelism } from 'node:os';
import { measureBurst, type BurstResult } from './burst.js';
import { startDuckdbFloor, type DuckdbFloor } from './duckdb-floor.js';
import { treeCpuSeconds } from './proc-cpu.js';
import type { ServerOutcome } from './report.js';
import { runRounds, type ScenarioTarget } from './run-rounds.js';
import type { RunSettings } from './run-scenario.js';
import { duckdbFloorScenarios } from './scenarios.js';
import { SERVERS, type BenchContext, type ServerEntry } from './server-list.js';
import { launchServer, type RunningServer } from './server-process.js';

export const DUCKDB_FLOOR_ID = 'duckdb-floor';
/** Identical concurrent requests per burst. */
export const BURST_SIZE = 50;
const DUCKDB_FLOOR_LABEL = 'DuckDB in-process, the same work without HTTP (a child process, pool of one connection per core)';

export interface MeasureOptions {
  context: BenchContext;
  settings: RunSettings;
  /** Server ids to measure (`duckdb-floor` included); all when undefined. */
  only?: readonly string[];
  /** Bursts per flapi server (0: none). */
  bursts: number;
  log: (line: string) => void;
}

interface Started {
  entry: ServerEntry;
  outcome: ServerOutcome;
  server?: RunningServer;
}

async function startEntry(entry: ServerEntry, context: BenchContext, log: (line: string) => void): Promise<Started> {
  const outcome: ServerOutcome = { id: entry.id, label: entry.label, scenarios: [] };
  const spec = entry.prepare(context);
  if ('unavailable' in spec) {
    outcome.unavailable = spec.unavailable;
    return { entry, outcome };
  }
  log(`starting ${entry.label}`);
  try {
    const server = await launchServer(spec, (port) => entry.portFlag(port));
    outcome.startupMs = server.startupMs;
    return { entry, outcome, server };
  } catch (err) {
    outcome.unavailable = `does not start: ${(err as Error).message.replace(/\s+/g, ' ').slice(0, 300)}`;
    return { entry, outcome };
  }
}

function floorTargets(floor: DuckdbFloor): ScenarioTarget[] {
  return duckdbFloorScenarios.map((scenario) => ({
    serverId: DUCKDB_FLOOR_ID,
    scenario,
    measure: (seconds, warmupSeconds) => floor.run(scenario.floor!, scenario.connections, seconds, warmupSeconds),
  }));
}

export async function measureServers(options: MeasureOptions): Promise<{ servers: ServerOutcome[]; bursts: BurstResult[] }> {
  const { context, settings, only, log } = options;
  const wanted = (id: string) => only === undefined || only.includes(id);
  const started: Started[] = [];
  let floor: DuckdbFloor | undefined;
  const floorOutcome: ServerOutcome = { id: DUCKDB_FLOOR_ID, label: DUCKDB_FLOOR_LABEL, scenarios: [] };
  const bursts: BurstResult[] = [];
  try {
    for (const entry of SERVERS) if (wanted(entry.id)) started.push(await startEntry(entry, context, log));
    if (wanted(DUCKDB_FLOOR_ID)) {
      log('starting the in-process DuckDB floor');
      try {
        const t0 = performance.now();
        floor = await startDuckdbFloor(availableParallelism());
        floorOutcome.startupMs = performance.now() - t0;
      } catch (err) {
        floorOutcome.unavailable = (err as Error).message.slice(0, 300);
      }
    }
    const targets: ScenarioTarget[] = [];
    for (const { entry, server } of started) {
      if (server === undefined) continue;
      const cpuSeconds = () => treeCpuSeconds(server.pid);
      for (const scenario of entry.scenarios) targets.push({ serverId: entry.id, baseUrl: server.baseUrl, scenario, cpuSeconds });
    }
    if (floor !== undefined) targets.push(...floorTargets(floor));
    const outcomes = await runRounds(targets, settings, log);
    const outcomeOf = (serverId: string, scenarios: ServerEntry['scenarios'], unavailable: string | undefined) =>
      scenarios.map((scenario) => {
        const target = targets.find((t) => t.serverId === serverId && t.scenario === scenario);
        return (target && outcomes.get(target)) ?? { scenario, unavailable: unavailable ?? 'not measured' };
      });
    for (const { entry, outcome, server } of started) {
      outcome.scenarios = outcomeOf(entry.id, entry.scenarios, outcome.unavailable);
      if (server !== undefined && entry.burst !== undefined && options.bursts > 0) {
        log(`bursts of identical requests on ${entry.label}`);
        bursts.push(await measureBurst({ baseUrl: server.baseUrl, label: entry.label, size: BURST_SIZE, bursts: options.bursts, ...entry.burst }));
      }
      outcome.peakRssMib = server?.peakRssMib();
    }
    if (wanted(DUCKDB_FLOOR_ID)) floorOutcome.scenarios = outcomeOf(DUCKDB_FLOOR_ID, duckdbFloorScenarios, floorOutcome.unavailable);
  } finally {
    for (const { server } of started) await server?.stop();
    await floor?.stop();
  }
  return { servers: [...started.map((s) => s.outcome), ...(wanted(DUCKDB_FLOOR_ID) ? [floorOutcome] : [])], bursts };
}
