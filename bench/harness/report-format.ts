/**
 * What every part of the report shares: number formatting and finding a run's outcomes
 * by role (the floor, the peers, the in-process DuckDB floor of a scenario).
 */
import { median } from './cold-start.js';
import type { LoadResult } from './load-test.js';
import type { BenchResults } from './report.js';
import type { ScenarioOutcome } from './run-scenario.js';
import type { Scenario, ScenarioRole } from './scenarios.js';

export const NA = 'n/a (not available)';

export const fmt = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const ratio = (value: number, base: number | undefined): string => (base ? `${fmt(value / base, 2)}×` : '–');

export type MeasuredOutcome = Extract<ScenarioOutcome, { load: LoadResult }>;

/** Every measured outcome of the run, server by server, in report order. */
export function measured(results: BenchResults): MeasuredOutcome[] {
  return results.servers.flatMap((s) => s.scenarios.filter((o): o is MeasuredOutcome => 'load' in o));
}

/** The measured outcome of the first scenario with this role. */
export function outcomeOf(results: BenchResults, role: ScenarioRole): MeasuredOutcome | undefined {
  return measured(results).find((o) => o.scenario.role === role);
}

export function reqPerSecOf(results: BenchResults, role: ScenarioRole): number | undefined {
  return outcomeOf(results, role)?.load.reqPerSec;
}

/** The in-process DuckDB floor doing a scenario's work, if it was measured. */
export function duckdbFloorOf(results: BenchResults, scenario: Scenario): MeasuredOutcome | undefined {
  if (scenario.floor === undefined || scenario.role === 'duckdb-floor') return undefined;
  return measured(results).find((o) => o.scenario.role === 'duckdb-floor' && o.scenario.floor === scenario.floor);
}

/** The median of a scenario's round-by-round ratios to a reference measured right before it. */
export function pairedRatio(outcome: ScenarioOutcome, role: ScenarioRole, of: 'ratios' | 'cpuRatios' = 'ratios'): number | undefined {
  if (!('load' in outcome)) return undefined;
  const values = outcome.pairs?.find((p) => p.role === role)?.[of];
  return values !== undefined && values.length > 0 ? median(values) : undefined;
}
