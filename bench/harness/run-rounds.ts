/**
 * Measures every scenario of every running server in rounds: round 1 runs each scenario
 * once (after its warm-up), round 2 runs each again, and so on. The load other users put
 * on a shared machine drifts over minutes; interleaving makes the floors, the peers and
 * flapi see the same drift, so their ratios hold even when absolute numbers move.
 *
 * The drift within a round is still seconds to minutes, so a scenario held to a ratio
 * (repeated reads against bare Koa, distinct point lookups against the Koa and Fastify
 * peers) gets its references measured again immediately before it, every round; its
 * ratios are taken against those paired runs (`pairs` of its outcome), as the median of
 * the rounds' ratios: one round that another process spoiled moves a median much less
 * than a sum. A reference that some scenario is paired with gets no slot of its own: its
 * figures are all its paired runs together.
 */
import { mergeLoads, measureLoad, type LoadResult } from './load-test.js';
import { cpuMicrosPerRequest } from './proc-cpu.js';
import { probe, type PairedRuns, type ScenarioOutcome } from './run-scenario.js';
import type { RunSettings } from './run-scenario.js';
import type { Scenario, ScenarioRole } from './scenarios.js';

/** The references a scenario's ratio targets are taken against, measured in this order right before it. */
const PAIRED: Partial<Record<ScenarioRole, ScenarioRole[]>> = {
  repeated: ['floor'],
  'distinct-point': ['baseline-point', 'peer-point'],
};

export interface ScenarioTarget {
  serverId: string;
  scenario: Scenario;
  /** An HTTP server: probed, then loaded with autocannon on this base URL. */
  baseUrl?: string;
  /** CPU seconds the server has used so far (bench/harness/proc-cpu.ts). */
  cpuSeconds?: () => number | undefined;
  /** Anything else (the in-process DuckDB floor): one measured window. */
  measure?: (seconds: number, warmupSeconds: number) => Promise<LoadResult>;
}

function runTarget(target: ScenarioTarget, seconds: number, warmupSeconds: number): Promise<LoadResult> {
  if (target.measure !== undefined) return target.measure(seconds, warmupSeconds);
  const { scenario } = target;
  return measureLoad({
    baseUrl: target.baseUrl ?? '',
    path: scenario.path,
    connections: scenario.connections,
    seconds,
    warmupSeconds,
    ...(target.cpuSeconds !== undefined ? { cpuSeconds: target.cpuSeconds } : {}),
  });
}

/** This run's CPU per request over the reference's, or undefined when either was not read. */
function cpuRatio(own: LoadResult, reference: LoadResult): number | undefined {
  const mine = cpuMicrosPerRequest(own);
  const theirs = cpuMicrosPerRequest(reference);
  return mine !== undefined && theirs !== undefined && theirs > 0 ? mine / theirs : undefined;
}

export async function runRounds(
  targets: readonly ScenarioTarget[],
  settings: RunSettings,
  log: (line: string) => void,
): Promise<Map<ScenarioTarget, ScenarioOutcome>> {
  const outcomes = new Map<ScenarioTarget, ScenarioOutcome>();
  const live: ScenarioTarget[] = [];
  for (const target of targets) {
    const missing = target.baseUrl === undefined ? undefined : await probe(target.baseUrl, target.scenario);
    if (missing === undefined) live.push(target);
    else outcomes.set(target, { scenario: target.scenario, unavailable: missing });
  }
  const referencesOf = (target: ScenarioTarget): ScenarioTarget[] =>
    (PAIRED[target.scenario.role] ?? []).flatMap((role) => live.filter((t) => t.scenario.role === role));
  const pairedOnly = new Set(live.flatMap(referencesOf));
  const own = new Map<ScenarioTarget, LoadResult[]>(live.map((t) => [t, []]));
  const paired = new Map<ScenarioTarget, Map<ScenarioTarget, LoadResult[]>>();
  const perRound = settings.seconds / settings.rounds;
  for (let round = 0; round < settings.rounds; round++) {
    log(`round ${round + 1} of ${settings.rounds}`);
    for (const target of live) {
      if (pairedOnly.has(target)) continue;
      log(`  ${target.scenario.label}`);
      const warmup = round === 0 ? settings.warmupSeconds : 0;
      for (const reference of referencesOf(target)) {
        const run = await runTarget(reference, perRound, warmup);
        own.get(reference)!.push(run);
        const runs = paired.get(target) ?? new Map<ScenarioTarget, LoadResult[]>();
        runs.set(reference, [...(runs.get(reference) ?? []), run]);
        paired.set(target, runs);
      }
      own.get(target)!.push(await runTarget(target, perRound, warmup));
    }
  }
  for (const target of live) {
    const runs = own.get(target)!;
    const pairs: PairedRuns[] = [...(paired.get(target) ?? new Map<ScenarioTarget, LoadResult[]>())].map(([reference, refRuns]) => {
      const cpuRatios = refRuns.map((ref, i) => cpuRatio(runs[i]!, ref));
      return {
        role: reference.scenario.role,
        label: reference.scenario.label,
        reference: mergeLoads(refRuns),
        ratios: refRuns.map((ref, i) => (ref.reqPerSec > 0 ? runs[i]!.reqPerSec / ref.reqPerSec : 0)),
        ...(cpuRatios.every((r) => r !== undefined) ? { cpuRatios: cpuRatios as number[] } : {}),
      };
    });
    outcomes.set(target, { scenario: target.scenario, load: mergeLoads(runs), ...(pairs.length > 0 ? { pairs } : {}) });
  }
  return outcomes;
}
