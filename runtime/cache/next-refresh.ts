/**
 * A parsed cache schedule and when it next fires. Apart from schedule.ts, which parses
 * schedules with croner, so a server whose caches have none never loads that package.
 */
import type { Cron } from 'croner';

export type Schedule =
  | { kind: 'interval'; text: string; ms: number }
  | { kind: 'cron'; text: string; cron: Cron };

/** When the next refresh is due after one that succeeded at `lastSuccess`. */
export function nextRefreshAt(schedule: Schedule, lastSuccess: Date, now: Date = new Date()): Date {
  if (schedule.kind === 'interval') return new Date(lastSuccess.getTime() + schedule.ms);
  // A tick missed while the server was down is due at once.
  const missed = schedule.cron.nextRun(lastSuccess);
  if (missed !== null && missed.getTime() <= now.getTime()) return now;
  return schedule.cron.nextRun(now) ?? new Date(8.64e15);
}
