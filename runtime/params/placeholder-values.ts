import type { ParamSpec } from '../manifest.js';

/**
 * A value for each parameter that its validators accept, for rendering a template at
 * validate time: the default, else the declared example, else one made from the validator.
 */
export function placeholderValue(param: ParamSpec): string | number | boolean {
  if (param.default !== undefined) return param.default;
  if (param.example !== undefined) return param.example;
  const v = param.validators[0];
  switch (v?.type) {
    case 'int':
    case 'number':
      return v.min ?? v.max ?? 1;
    case 'boolean':
      return true;
    case 'enum':
      return v.allowedValues[0] ?? 'x';
    case 'date':
      return v.min ?? '2000-01-01';
    case 'time':
      return v.min ?? '12:00:00';
    case 'email':
      return 'user@example.com';
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
    default:
      return 'x';
  }
}

/**
 * Two parameter sets: every parameter given (all optional sections rendered) and only
 * what a bare request would have (required ones and defaults).
 */
export function dryRunParams(params: readonly ParamSpec[], pagination: { limit: number } | undefined): Record<string, unknown>[] {
  const full: Record<string, unknown> = {};
  const bare: Record<string, unknown> = {};
  for (const param of params) {
    const value = placeholderValue(param);
    full[param.name] = value;
    if (param.required || param.default !== undefined) bare[param.name] = value;
  }
  if (pagination) {
    for (const set of [full, bare]) {
      set.limit = pagination.limit;
      set.offset = 0;
    }
  }
  return [bare, full];
}
