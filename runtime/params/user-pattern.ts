/**
 * Regexes written by project authors (string validators) run on request input, so they
 * must never backtrack: a pattern such as `(a+)+b` would take seconds per request with
 * JavaScript's engine. They are compiled with an RE2 engine, which matches in time
 * linear in the input whatever the pattern. RE2 has no backreferences or lookaround;
 * `flapi validate` rejects patterns that use them.
 */
import { RE2JS } from 're2js';

export interface UserPattern {
  /** Does the whole value match? */
  test(value: string): boolean;
}

/** Compiles a validator regex anchored to the whole value; throws with the engine's reason. */
export function compileUserPattern(source: string): UserPattern {
  const re = RE2JS.compile(`^(?:${source})$`);
  return { test: (value) => re.test(value) };
}

/** Why a pattern cannot be compiled, in words for a diagnostic; undefined when it compiles. */
export function userPatternProblem(source: string): string | undefined {
  try {
    RE2JS.compile(`^(?:${source})$`);
    return undefined;
  } catch (err) {
    const reason = (err as Error).message.replace(/^error parsing regexp: /, '');
    if (/\\[1-9]|\(\?[=!<]/.test(source)) {
      return `${reason}; backreferences and lookaround are not supported (patterns run in linear time)`;
    }
    return reason;
  }
}
