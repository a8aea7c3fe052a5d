/**
 * string, enum, email and uuid validators. Regexes are compiled here, once per endpoint
 * parameter, never per request, with a linear-time engine (user-pattern.ts).
 */
import { Invalid, type ParamValue, type RawScalar, type ValueCheck } from './param-types.js';
import { compileUserPattern } from './user-pattern.js';

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Body scalars reach text validators as their JSON text (`5` → "5"). */
export function asText(raw: RawScalar): string {
  return typeof raw === 'string' ? raw : String(raw);
}

/** Length in characters (code points), so an emoji counts once. */
function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
    n++;
  }
  return n;
}

export function stringCheck(regex?: string, min?: number, max?: number): ValueCheck {
  // Anchored so a pattern must match the whole value, as flAPI's validator does; linear-time engine.
  const pattern = regex === undefined ? undefined : compileUserPattern(regex);
  const noMatch = new Invalid(`must match the pattern ${regex ?? ''}`);
  const tooShort = new Invalid(`must be at least ${min} characters long`);
  const tooLong = new Invalid(`must be at most ${max} characters long`);
  return (raw: RawScalar): ParamValue | Invalid => {
    const s = asText(raw);
    if (min !== undefined || max !== undefined) {
      // Cheap bounds first: UTF-16 length is an upper bound of the code point count.
      if (max !== undefined && s.length > max * 2) return tooLong;
      const n = codePointLength(s);
      if (min !== undefined && n < min) return tooShort;
      if (max !== undefined && n > max) return tooLong;
    }
    if (pattern !== undefined && !pattern.test(s)) return noMatch;
    return s;
  };
}

export function enumCheck(allowedValues: readonly string[]): ValueCheck {
  const allowed = new Set(allowedValues);
  const notAllowed = new Invalid(`must be one of: ${allowedValues.join(', ')}`);
  return (raw: RawScalar): ParamValue | Invalid => {
    const s = asText(raw);
    return allowed.has(s) ? s : notAllowed;
  };
}

export function emailCheck(): ValueCheck {
  const notEmail = new Invalid('Invalid email format');
  return (raw: RawScalar): ParamValue | Invalid => {
    const s = asText(raw);
    return s.length <= 254 && EMAIL.test(s) ? s : notEmail;
  };
}

export function uuidCheck(): ValueCheck {
  const notUuid = new Invalid('Invalid UUID format');
  return (raw: RawScalar): ParamValue | Invalid => {
    const s = asText(raw);
    return UUID.test(s) ? s : notUuid;
  };
}
