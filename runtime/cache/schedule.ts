/**
 * A cache's `schedule`: an interval (`30s`, `5m`, `1h`, `2d`) counted from the end of the
 * last successful refresh, or a cron expression (5 or 6 fields, seconds first when 6)
 * whose ticks are wall-clock times.
 */
import { Cron } from 'croner';
import { parseDuration } from './parse-duration.js';

export type Schedule =
  | { kind: 'interval'; text: string; ms: number }
  | { kind: 'cron'; text: string; cron: Cron };

export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

/** Throws a ScheduleError that says what was expected. */
export function parseSchedule(text: string): Schedule {
  const ms = parseDuration(text);
  if (ms !== undefined) return { kind: 'interval', text, ms };
  if (text.trim().split(/\s+/).length >= 5) {
    try {
      return { kind: 'cron', text, cron: new Cron(text.trim(), { paused: true }) };
    } catch (err) {
      throw new ScheduleError(`schedule \`${text}\` is not a valid cron expression: ${(err as Error).message}`);
    }
  }
  throw new ScheduleError(`schedule \`${text}\` is neither an interval (30s, 5m, 1h, 2d) nor a cron expression (e.g. \`*/15 * * * *\`)`);
}

/** When the next refresh is due after one that succeeded at `lastSuccess`. */
export function nextRefreshAt(schedule: Schedule, lastSuccess: Date, now: Date = new Date()): Date {
  if (schedule.kind === 'interval') return new Date(lastSuccess.getTime() + schedule.ms);
  // A tick missed while the server was down is due at once.
  const missed = schedule.cron.nextRun(lastSuccess);
  if (missed !== null && missed.getTime() <= now.getTime()) return now;
  return schedule.cron.nextRun(now) ?? new Date(8.64e15);
}
