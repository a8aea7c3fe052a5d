/**
 * The environment a project may read. flAPI's rule: a variable reaches the config or a
 * template only when its name fully matches one of `template.environment-whitelist`
 * (case-insensitive); an empty or missing whitelist allows none.
 */
export class ProjectEnvironment {
  private readonly patterns: RegExp[];
  readonly invalidPatterns: string[] = [];

  constructor(
    readonly whitelist: readonly string[],
    private readonly values: Record<string, string | undefined>,
  ) {
    this.patterns = [];
    for (const source of whitelist) {
      try {
        this.patterns.push(new RegExp(`^(?:${source})$`, 'i'));
      } catch {
        this.invalidPatterns.push(source);
      }
    }
  }

  allows(name: string): boolean {
    return this.patterns.some((p) => p.test(name));
  }

  /** The value of a whitelisted variable; undefined when unset or not allowed. */
  get(name: string): string | undefined {
    return this.allows(name) ? this.values[name] : undefined;
  }

  /** Reads a variable regardless of the whitelist: only for flapi's own FLAPI_* settings. */
  raw(name: string): string | undefined {
    return this.values[name];
  }

  /** Every variable, whitelisted or not: for values the config names by `{{env.NAME}}` (already checked against the whitelist). */
  rawValues(): Readonly<Record<string, string | undefined>> {
    return this.values;
  }

  /** Every whitelisted variable that is set, for `env.*` in templates. */
  allowedValues(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.values)) {
      if (value !== undefined && this.allows(name)) out[name] = value;
    }
    return out;
  }
}

export function notWhitelistedMessage(name: string): string {
  return `environment variable ${name} is not whitelisted; add a pattern matching it (e.g. '^${name}$') to ` +
    '`template.environment-whitelist` in flapi.yaml';
}
