/**
 * Durations as flAPI writes them in `schedule` and `max-snapshot-age`: a number and a
 * unit (`500ms`, `30s`, `5m`, `1h`, `2d`, `1w`). A bare number counts seconds, which is
 * what flAPI's older `refresh-time` meant.
 */
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h|d|w)?\s*$/i;

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[(match[2] ?? 's').toLowerCase()]!;
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : undefined;
}

/** `90000` → `1m30s`: for status output a person reads. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}
