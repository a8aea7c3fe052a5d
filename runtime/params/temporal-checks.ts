/**
 * date (`YYYY-MM-DD`) and time (`HH:MM[:SS]`) validators. Both forms sort lexically, so
 * bounds compare as text once normalised.
 */
import { Invalid, type ParamValue, type RawScalar, type ValueCheck } from './param-types.js';
import { asText } from './text-checks.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True when the text is a real calendar date in `YYYY-MM-DD` form. */
export function isDate(s: string): boolean {
  const m = DATE.exec(s);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const days = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  return day <= days;
}

/** `HH:MM[:SS]` as `HH:MM:SS`, or undefined when it is no valid time of day. */
export function normaliseTime(s: string): string | undefined {
  const m = TIME.exec(s);
  if (m === null) return undefined;
  if (Number(m[1]) > 23 || Number(m[2]) > 59 || (m[3] !== undefined && Number(m[3]) > 59)) return undefined;
  return m[3] === undefined ? `${s}:00` : s;
}

function boundsMessage(kind: string, min: string | undefined, max: string | undefined): string {
  if (min !== undefined && max !== undefined) return `must be a ${kind} between ${min} and ${max}`;
  if (min !== undefined) return `must be a ${kind} on or after ${min}`;
  return `must be a ${kind} on or before ${max}`;
}

export function dateCheck(min?: string, max?: string): ValueCheck {
  const notDate = new Invalid('Invalid date format');
  const outOfRange = new Invalid(boundsMessage('date', min, max));
  return (raw: RawScalar): ParamValue | Invalid => {
    const s = asText(raw);
    if (!isDate(s)) return notDate;
    if ((min !== undefined && s < min) || (max !== undefined && s > max)) return outOfRange;
    return s;
  };
}

export function timeCheck(min?: string, max?: string): ValueCheck {
  const notTime = new Invalid('Invalid time format');
  const low = min === undefined ? undefined : (normaliseTime(min) ?? min);
  const high = max === undefined ? undefined : (normaliseTime(max) ?? max);
  const outOfRange = new Invalid(boundsMessage('time', min, max));
  return (raw: RawScalar): ParamValue | Invalid => {
    const s = asText(raw);
    const t = normaliseTime(s);
    if (t === undefined) return notTime;
    if ((low !== undefined && t < low) || (high !== undefined && t > high)) return outOfRange;
    return s;
  };
}
