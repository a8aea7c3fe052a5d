import type { ValidatorSpec } from '../../runtime/manifest.js';
import { compileUserPattern, type UserPattern } from '../../runtime/params/user-pattern.js';

/**
 * Whether a configured value (a `default` or `example`) passes a validator. The compiler
 * uses it so a project cannot ship a default its own endpoint would reject.
 * Returns the reason when it fails.
 */
export function valueProblem(value: string | number | boolean, validator: ValidatorSpec): string | undefined {
  const text = String(value);
  switch (validator.type) {
    case 'int':
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) return `\`${text}\` is not a number`;
      if (validator.type === 'int' && !Number.isInteger(n)) return `\`${text}\` is not an integer`;
      if (validator.min !== undefined && n < validator.min) return `${n} is below min ${validator.min}`;
      if (validator.max !== undefined && n > validator.max) return `${n} is above max ${validator.max}`;
      return undefined;
    }
    case 'boolean':
      return /^(true|false)$/i.test(text) ? undefined : `\`${text}\` is not true or false`;
    case 'enum':
      return validator.allowedValues.includes(text) ? undefined : `\`${text}\` is not one of ${validator.allowedValues.join(', ')}`;
    case 'string': {
      if (validator.min !== undefined && text.length < validator.min) return `\`${text}\` is shorter than ${validator.min}`;
      if (validator.max !== undefined && text.length > validator.max) return `\`${text}\` is longer than ${validator.max}`;
      if (validator.regex !== undefined) {
        let pattern: UserPattern;
        try {
          pattern = compileUserPattern(validator.regex);
        } catch {
          return undefined; // reported as an invalid regex
        }
        if (!pattern.test(text)) return `\`${text}\` does not match ${validator.regex}`;
      }
      return undefined;
    }
    case 'date':
    case 'time': {
      const shape = validator.type === 'date' ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
      if (!shape.test(text)) return `\`${text}\` is not a ${validator.type} (${validator.type === 'date' ? 'YYYY-MM-DD' : 'HH:MM:SS'})`;
      if (validator.min !== undefined && text < validator.min) return `${text} is before min ${validator.min}`;
      if (validator.max !== undefined && text > validator.max) return `${text} is after max ${validator.max}`;
      return undefined;
    }
    case 'email':
      return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text) ? undefined : `\`${text}\` is not an email address`;
    case 'uuid':
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text) ? undefined : `\`${text}\` is not a UUID`;
  }
}
