/**
 * The ISO-8601 text of runtime/serialize/temporal-text.ts, written as bytes into a sink for
 * the years 0000–9999 (every other value, infinities included, is left to the text
 * functions: the writers return false and write nothing).
 */
import type { ByteSink } from './byte-sink.js';

const MICROS_PER_DAY = 86_400_000_000;

/** `YYYY-MM-DD` of days since 1970-01-01 (the civil-from-days of dateText). */
export function writeDate(sink: ByteSink, days: number): boolean {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (!(year >= 0 && year <= 9999)) return false;
  sink.reserve(10);
  const high = (year / 100) | 0;
  sink.pad2(high);
  sink.pad2(year - high * 100);
  sink.buf[sink.pos++] = 45;
  sink.pad2(month);
  sink.buf[sink.pos++] = 45;
  sink.pad2(day);
  return true;
}

/** `YYYY-MM-DDTHH:MM:SS[.ffffff]` of microseconds since the epoch, a safe integer. */
export function writeTimestamp(sink: ByteSink, micros: number): boolean {
  const days = Math.floor(micros / MICROS_PER_DAY);
  if (!writeDate(sink, days)) return false;
  const rest = micros - days * MICROS_PER_DAY;
  const seconds = Math.floor(rest / 1_000_000);
  const frac = rest - seconds * 1_000_000;
  sink.reserve(16);
  const buf = sink.buf;
  buf[sink.pos++] = 84;
  sink.pad2((seconds / 3600) | 0);
  buf[sink.pos++] = 58;
  sink.pad2(((seconds / 60) | 0) % 60);
  buf[sink.pos++] = 58;
  sink.pad2(seconds % 60);
  if (frac !== 0) writeFraction(sink, frac);
  return true;
}

/** `.ffffff` without trailing zeros; the caller has reserved room. */
function writeFraction(sink: ByteSink, micros: number): void {
  const buf = sink.buf;
  buf[sink.pos++] = 46;
  let end = sink.pos + 6;
  let n = micros;
  for (let at = end - 1; at >= sink.pos; at--) {
    const q = (n / 10) | 0;
    buf[at] = 48 + (n - q * 10);
    n = q;
  }
  while (buf[end - 1] === 48) end--;
  sink.pos = end;
}
