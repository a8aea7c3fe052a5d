/**
 * int, number and boolean validators. Text must be in plain decimal form: `1e3`, `0x10`,
 * `1.0` (for int), ` 1` and `Infinity` are refused, so a value means the same to the
 * validator, to DuckDB and to whoever reads the logs.
 */
import { Invalid, type ParamValue, type RawScalar, type ValueCheck } from './param-types.js';

const INT_TEXT = /^-?\d{1,40}$/;
const NUMBER_TEXT = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

function rangeMessage(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `must be between ${min} and ${max}`;
  if (min !== undefined) return `must be at least ${min}`;
  return `must be at most ${max}`;
}

export function intCheck(min?: number, max?: number): ValueCheck {
  const notInt = new Invalid('Invalid integer value');
  const outOfRange = new Invalid(rangeMessage(min, max));
  const tooLarge = new Invalid('must be an integer between -2^63 and 2^63-1');
  const inRange = (v: number | bigint): boolean =>
    (min === undefined || v >= min) && (max === undefined || v <= max);
  return (raw: RawScalar): ParamValue | Invalid => {
    if (typeof raw === 'number') {
      if (!Number.isSafeInteger(raw)) return notInt;
      return inRange(raw) ? raw : outOfRange;
    }
    if (typeof raw !== 'string' || !INT_TEXT.test(raw)) return notInt;
    if (raw.length < 16) {
      const n = Number(raw);
      return inRange(n) ? n : outOfRange;
    }
    const big = BigInt(raw);
    if (big < INT64_MIN || big > INT64_MAX) return tooLarge;
    const value: number | bigint = big >= SAFE_MIN && big <= SAFE_MAX ? Number(big) : big;
    return inRange(value) ? value : outOfRange;
  };
}

export function numberCheck(min?: number, max?: number): ValueCheck {
  const notNumber = new Invalid('must be a number');
  const outOfRange = new Invalid(rangeMessage(min, max));
  return (raw: RawScalar): ParamValue | Invalid => {
    let n: number;
    if (typeof raw === 'number') n = raw;
    else if (typeof raw === 'string' && raw.length <= 400 && NUMBER_TEXT.test(raw)) n = Number(raw);
    else return notNumber;
    if (!Number.isFinite(n)) return notNumber;
    if ((min !== undefined && n < min) || (max !== undefined && n > max)) return outOfRange;
    return n;
  };
}

export function booleanCheck(): ValueCheck {
  const notBoolean = new Invalid('must be true, false, 1 or 0');
  return (raw: RawScalar): ParamValue | Invalid => {
    if (typeof raw === 'boolean') return raw;
    if (raw === 1 || raw === 0) return raw === 1;
    if (typeof raw !== 'string') return notBoolean;
    switch (raw.toLowerCase()) {
      case 'true':
      case '1':
        return true;
      case 'false':
      case '0':
        return false;
      default:
        return notBoolean;
    }
  };
}
