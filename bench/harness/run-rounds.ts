/**
 * Measures every scenario of every running server in rounds: round 1 runs each scenario
 * once (after its warm-up), round 2 runs each again, and so on. The load other users put
 * on a shared machine drifts over minutes; interleaving makes the floor (a), the baseline
 * (b) and flapi see the same drift, so their ratios hold even when absolute numbers move.
 */
import { mergeLoads, type LoadResult } from './load-test.js';
import { probe, runRound, type RunSettings, type ScenarioOutcome } from './run-scenario.js';
import type { Scenario } from './scenarios.js';

export interface ScenarioTarget {
  serverId: string;
  baseUrl: string;
  scenario: Scenario;
}

export async function runRounds(
  targets: readonly ScenarioTarget[],
  settings: RunSettings,
  log: (line: string) => void,
): Promise<Map<ScenarioTarget, ScenarioOutcome>> {
  const outcomes = new Map<ScenarioTarget, ScenarioOutcome>();
  const live: ScenarioTarget[] = [];
  for (const target of targets) {
    const missing = await probe(target.baseUrl, target.scenario);
    if (missing === undefined) live.push(target);
    else outcomes.set(target, { scenario: target.scenario, unavailable: missing });
  }
  const rounds = new Map<ScenarioTarget, LoadResult[]>(live.map((t) => [t, []]));
  const perRound = settings.seconds / settings.rounds;
  for (let round = 0; round < settings.rounds; round++) {
    log(`round ${round + 1} of ${settings.rounds}`);
    for (const target of live) {
      log(`  ${target.scenario.label}`);
      const warmup = round === 0 ? settings.warmupSeconds : 0;
      rounds.get(target)!.push(await runRound(target.baseUrl, target.scenario, perRound, warmup));
    }
  }
  for (const target of live) outcomes.set(target, { scenario: target.scenario, load: mergeLoads(rounds.get(target)!) });
  return outcomes;
}
