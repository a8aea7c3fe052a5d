/**
 * The one rule for which request values may become SQL text: a parameter validated by an
 * `enum`, spliced only when its value is in every enum list it has (the parser checks each
 * validator, so a value that reaches the template already passed them all). The compiler's
 * checks and every runtime surface build their templates with this map.
 */
import type { ParamSpec } from '../manifest.js';

export function spliceParams(params: readonly Pick<ParamSpec, 'name' | 'validators'>[]): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const param of params) {
    let allowed: string[] | undefined;
    for (const validator of param.validators) {
      if (validator.type !== 'enum') continue;
      allowed = allowed === undefined ? [...validator.allowedValues] : allowed.filter((v) => validator.allowedValues.includes(v));
    }
    if (allowed !== undefined) out.set(param.name, allowed);
  }
  return out;
}
