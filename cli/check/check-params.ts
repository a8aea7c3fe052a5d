import type { CompiledEndpoint } from '../config/normalise-endpoint.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { userPatternProblem } from '../../runtime/params/user-pattern.js';
import { valueProblem } from './check-value.js';

/** Per-parameter checks: names, regexes, bounds, enum lists, defaults and examples. */
export function checkParams(endpoint: CompiledEndpoint, diagnostics: Diagnostic[]): void {
  const { spec, doc } = endpoint;
  const seen = new Set<string>();
  spec.params.forEach((param, index) => {
    const at = ['request', index];
    if (seen.has(param.name)) {
      diagnostics.push({ severity: 'error', ...doc.locate([...at, 'field-name']), code: 'duplicate-param',
        message: `parameter \`${param.name}\` is declared twice; remove or rename one` });
    }
    seen.add(param.name);
    param.validators.forEach((validator, vIndex) => {
      const vAt = [...at, 'validators', vIndex];
      if (validator.type === 'string' && validator.regex !== undefined) {
        const problem = userPatternProblem(validator.regex);
        if (problem !== undefined) {
          diagnostics.push({ severity: 'error', ...doc.locate([...vAt, 'regex']), code: 'invalid-regex',
            message: `regex of \`${param.name}\` is invalid (${problem}); fix the pattern` });
        }
      }
      if ('min' in validator && 'max' in validator && validator.min !== undefined && validator.max !== undefined && validator.min > validator.max) {
        diagnostics.push({ severity: 'error', ...doc.locate([...vAt, 'min']), code: 'min-above-max',
          message: `min ${validator.min} of \`${param.name}\` is above max ${validator.max}; swap or correct them` });
      }
      if (validator.type === 'enum' && validator.allowedValues.length === 0) {
        diagnostics.push({ severity: 'error', ...doc.locate(vAt), code: 'enum-empty',
          message: `enum validator of \`${param.name}\` has no allowedValues; list the allowed values` });
      }
    });
    for (const key of ['default', 'example'] as const) {
      const value = param[key];
      if (value === undefined) continue;
      for (const validator of param.validators) {
        const problem = valueProblem(value, validator);
        if (!problem) continue;
        diagnostics.push({ severity: 'error', ...doc.locate([...at, key]), code: `${key}-invalid`,
          message: `${key} of \`${param.name}\` fails its own ${validator.type} validator: ${problem}; change the ${key} or the validator` });
        break;
      }
    }
  });
}
