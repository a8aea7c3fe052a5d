/**
 * Turns a parameter's validators into one check. Several validators all have to pass;
 * the value takes the type of the first typed one (int, number, boolean), else stays text.
 */
import type { ValidatorSpec } from '../manifest.js';
import { booleanCheck, intCheck, numberCheck } from './numeric-checks.js';
import { Invalid, type ParamValue, type RawScalar, type ValueCheck } from './param-types.js';
import { dateCheck, timeCheck } from './temporal-checks.js';
import { asText, emailCheck, enumCheck, stringCheck, uuidCheck } from './text-checks.js';

export function checkFor(spec: ValidatorSpec): ValueCheck {
  switch (spec.type) {
    case 'int':
      return intCheck(spec.min, spec.max);
    case 'number':
      return numberCheck(spec.min, spec.max);
    case 'boolean':
      return booleanCheck();
    case 'string':
      return stringCheck(spec.regex, spec.min, spec.max);
    case 'enum':
      return enumCheck(spec.allowedValues);
    case 'date':
      return dateCheck(spec.min, spec.max);
    case 'time':
      return timeCheck(spec.min, spec.max);
    case 'email':
      return emailCheck();
    case 'uuid':
      return uuidCheck();
  }
}

const TYPED = new Set(['int', 'number', 'boolean']);

export function compileCheck(validators: readonly ValidatorSpec[]): ValueCheck {
  if (validators.length === 0) return asText;
  const checks = validators.map(checkFor);
  if (checks.length === 1) return checks[0]!;
  const typedIndex = validators.findIndex((v) => TYPED.has(v.type));
  return (raw: RawScalar): ParamValue | Invalid => {
    let value: ParamValue | undefined;
    for (let i = 0; i < checks.length; i++) {
      const result = checks[i]!(raw);
      if (result instanceof Invalid) return result;
      if (i === typedIndex) value = result;
    }
    return value ?? asText(raw);
  };
}
