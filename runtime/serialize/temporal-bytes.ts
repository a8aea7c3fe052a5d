/**
 * The ISO-8601 text of runtime/serialize/temporal-text.ts, written as bytes for the years
 * 0000–9999; every other value, infinities included, is left to the text functions. The
 * caller has made room (10 bytes for a date, 16 more for a time of day).
 */
import { civilDate } from './temporal-text.js';

/** The last date written, and its bytes: rows near each other in time mostly share their day. */
let lastDays = NaN;
const lastDate = new Uint8Array(10);

/** `YYYY-MM-DD` of days since 1970-01-01 (the civil-from-days of dateText), or -1 outside 0000–9999. */
export function putDate(buf: Uint8Array, pos: number, days: number): number {
  if (days === lastDays) {
    for (let i = 0; i < 10; i++) buf[pos + i] = lastDate[i]!;
    return pos + 10;
  }
  const end = putCivilDate(buf, pos, days);
  if (end >= 0) {
    lastDays = days;
    for (let i = 0; i < 10; i++) lastDate[i] = buf[pos + i]!;
  }
  return end;
}

const CIVIL = new Int32Array(3);

function putCivilDate(buf: Uint8Array, pos: number, days: number): number {
  civilDate(days, CIVIL);
  const year = CIVIL[0]!;
  const month = CIVIL[1]!;
  const day = CIVIL[2]!;
  if (!(year >= 0 && year <= 9999)) return -1;
  const century = (year / 100) | 0;
  pos = put2(buf, pos, century);
  pos = put2(buf, pos, year - century * 100);
  buf[pos++] = 45;
  pos = put2(buf, pos, month);
  buf[pos++] = 45;
  return put2(buf, pos, day);
}

/** `THH:MM:SS[.ffffff]` of a second of the day and its microseconds (trailing zeros dropped). */
export function putTimeOfDay(buf: Uint8Array, pos: number, seconds: number, micros: number): number {
  buf[pos++] = 84;
  pos = put2(buf, pos, (seconds / 3600) | 0);
  buf[pos++] = 58;
  pos = put2(buf, pos, ((seconds / 60) | 0) % 60);
  buf[pos++] = 58;
  pos = put2(buf, pos, seconds % 60);
  if (micros === 0) return pos;
  buf[pos++] = 46;
  let end = pos + 6;
  for (let at = end - 1; at >= pos; at--) {
    const q = (micros / 10) | 0;
    buf[at] = 48 + (micros - q * 10);
    micros = q;
  }
  while (buf[end - 1] === 48) end--;
  return end;
}

function put2(buf: Uint8Array, pos: number, n: number): number {
  const tens = (n / 10) | 0;
  buf[pos] = 48 + tens;
  buf[pos + 1] = 48 + (n - tens * 10);
  return pos + 2;
}
