/**
 * Measures one scenario on a running server. A single probe request first checks that
 * the feature exists (a 2xx with the expected Content-Type); a 404 or 406 means it has
 * not landed yet, which is reported as "not available" instead of failing the run.
 */
import type { LoadResult } from './load-test.js';
import type { Scenario, ScenarioRole } from './scenarios.js';

/**
 * For a scenario held to a ratio (repeated reads against bare Koa, distinct point lookups
 * against the peers): one reference, measured right before it in every round.
 */
export interface PairedRuns {
  role: ScenarioRole;
  label: string;
  /** The reference's paired runs together. */
  reference: LoadResult;
  /** This scenario's req/s over the reference's, round by round. */
  ratios: number[];
  /** This scenario's CPU per request over the reference's, round by round, when both were read. */
  cpuRatios?: number[];
}

export type ScenarioOutcome =
  | { scenario: Scenario; load: LoadResult; pairs?: PairedRuns[] }
  | { scenario: Scenario; unavailable: string };

export interface RunSettings {
  /** Measured seconds per scenario, split over the rounds. */
  seconds: number;
  /** Warm-up before a scenario's first round. */
  warmupSeconds: number;
  /** Rounds over all scenarios; interleaving spreads the drift of a shared machine evenly. */
  rounds: number;
}

export function resolvePath(scenario: Scenario): string {
  return typeof scenario.path === 'string' ? scenario.path : scenario.path();
}

export async function probe(baseUrl: string, scenario: Scenario): Promise<string | undefined> {
  const path = resolvePath(scenario);
  try {
    const response = await fetch(baseUrl + path, { signal: AbortSignal.timeout(30_000) });
    const body = await response.text();
    if (response.status < 200 || response.status > 299) {
      return `HTTP ${response.status} on ${path}: ${body.replace(/\s+/g, ' ').slice(0, 120)}`;
    }
    const type = response.headers.get('content-type') ?? '';
    if (scenario.expectContentType && !type.startsWith(scenario.expectContentType)) {
      return `answers ${type || 'no Content-Type'}, not ${scenario.expectContentType}`;
    }
    return undefined;
  } catch (err) {
    return `probe failed: ${(err as Error).message}`;
  }
}
