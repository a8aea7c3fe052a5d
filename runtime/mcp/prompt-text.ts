/**
 * An `mcp-prompt` template is text for the agent, not SQL: arguments are substituted as
 * given (no HTML escaping, no binding), and sections work as in any Mustache template.
 * Argument values are only ever inserted, never parsed as template text themselves.
 */
import Mustache from 'mustache';

const AS_IS = { escape: (value: unknown): string => String(value) };

export function promptText(template: string, args: Readonly<Record<string, string>>): string {
  return Mustache.render(template, { ...args, params: args }, {}, AS_IS);
}
