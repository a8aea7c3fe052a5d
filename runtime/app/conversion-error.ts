/**
 * A DuckDB conversion error quotes the value it refused (`Could not convert string
 * '...' to INT32`), not the parameter it came from. The request is searched for an input
 * holding exactly that value, so the 400 can name the parameter to fix.
 */
import type { Context } from 'koa';

const QUOTED = /^Conversion Error: Could not convert string '/;

function refusedValue(message: string): string | undefined {
  if (!QUOTED.test(message)) return undefined;
  const start = message.indexOf("'") + 1;
  const end = message.lastIndexOf("' to ");
  return end > start ? message.slice(start, end) : undefined;
}

function holding(source: unknown, value: string): string | undefined {
  if (source === null || typeof source !== 'object') return undefined;
  for (const [name, inner] of Object.entries(source)) {
    const candidates = Array.isArray(inner) ? inner : [inner];
    if (candidates.some((c) => (typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean') && String(c) === value)) return name;
  }
  return undefined;
}

/** The request field whose value DuckDB refused, or undefined when it cannot tell. */
export function refusedParameter(err: Error, ctx: Context): string | undefined {
  const value = refusedValue(err.message);
  if (value === undefined) return undefined;
  return holding(ctx.params, value) ?? holding(ctx.query, value) ?? holding(ctx.state['requestBody'], value);
}
