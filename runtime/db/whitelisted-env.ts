/**
 * The environment variables templates may read: only names fully matching one of the
 * manifest's whitelist patterns. With no patterns nothing is exposed, so a secret in the
 * process environment never reaches SQL text by accident.
 */
export function whitelistedEnv(
  patterns: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string> {
  const regexes = patterns.map((source) => new RegExp(`^(?:${source})$`));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && regexes.some((r) => r.test(name))) out[name] = value;
  }
  return out;
}
