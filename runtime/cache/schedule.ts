/**
 * A cache's `schedule`: an interval (`30s`, `5m`, `1h`, `2d`) counted from the end of the
 * last successful refresh, or a cron expression (5 or 6 fields, seconds first when 6)
 * whose ticks are wall-clock times.
 */
import { Cron } from 'croner';
import type { Schedule } from './next-refresh.js';
import { parseDuration } from './parse-duration.js';

export { nextRefreshAt, type Schedule } from './next-refresh.js';

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
