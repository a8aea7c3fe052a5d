/**
 * Measures every scenario of every running server in rounds: round 1 runs each scenario
 * once (after its warm-up), round 2 runs each again, and so on. The load other users put
 * on a shared machine drifts over minutes; interleaving makes the floor (a), the baseline
 * (b) and flapi see the same drift, so their ratios hold even when absolute numbers move.
 *
 * The drift within a round is still seconds to minutes, so a scenario held to a ratio
 * (repeated reads against (a), distinct point lookups against (b)) gets its reference
 * measured again immediately before it, every round; its ratio is taken against those
 * paired runs (`reference` of its outcome), as the median of the rounds' ratios: one round
 * that another process spoiled moves a median much less than a sum.
 */
import { mergeLoads, type LoadResult } from './load-test.js';
import { probe, runRound, type RunSettings, type ScenarioOutcome } from './run-scenario.js';
import type { Scenario, ScenarioRole } from './scenarios.js';

/** Which reference a scenario's ratio target is taken against. */
const PAIRED: Partial<Record<ScenarioRole, ScenarioRole>> = { repeated: 'floor', 'distinct-point': 'baseline-point' };

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
  const references = new Map<ScenarioTarget, LoadResult[]>();
  const referenceOf = (target: ScenarioTarget) => {
    const role = PAIRED[target.scenario.role];
    return role === undefined ? undefined : live.find((t) => t.scenario.role === role);
  };
  const perRound = settings.seconds / settings.rounds;
  for (let round = 0; round < settings.rounds; round++) {
    log(`round ${round + 1} of ${settings.rounds}`);
    for (const target of live) {
      log(`  ${target.scenario.label}`);
      const warmup = round === 0 ? settings.warmupSeconds : 0;
      const reference = referenceOf(target);
      if (reference !== undefined) {
        const paired = await runRound(reference.baseUrl, reference.scenario, perRound, warmup);
        references.set(target, [...(references.get(target) ?? []), paired]);
      }
      rounds.get(target)!.push(await runRound(target.baseUrl, target.scenario, perRound, warmup));
    }
  }
  for (const target of live) {
    const paired = references.get(target);
    const own = rounds.get(target)!;
    outcomes.set(target, {
      scenario: target.scenario,
      load: mergeLoads(own),
      ...(paired !== undefined
        ? { reference: mergeLoads(paired), pairRatios: paired.map((ref, i) => (ref.reqPerSec > 0 ? own[i]!.reqPerSec / ref.reqPerSec : 0)) }
        : {}),
    });
  }
  return outcomes;
}
