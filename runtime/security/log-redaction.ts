/**
 * Keeps credentials out of the log. Fields whose names say they hold a secret are
 * replaced whole; in free text (error messages, SQL, URLs) bearer and basic credentials,
 * `password=` style pairs and the password part of a URL are masked.
 *
 * Log lines can carry request input (a refused value inside a DuckDB error), so every
 * string is first cut to `MAX_LOGGED_CHARS`, and every pattern is linear: a run of
 * characters is only ever scanned from where it starts (a lookbehind refuses to start
 * inside it) and quantifiers scanning for a delimiter are bounded. A hostile value can
 * therefore cost no more than its (cut) length.
 */
const SECRET_KEY = /(?:^|[_-])(?:authorization|password|passwd|secret|token|api[_-]?key|cookie|credential)s?$|^(?:authorization|password|secret|token|apikey|api_key|cookie)/i;
const MASK = '[redacted]';

/** Longest text one logged value keeps; the rest is replaced by a count. */
export const MAX_LOGGED_CHARS = 2048;

const TEXT_RULES: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic|ApiKey)\s{1,16}[A-Za-z0-9._~+/=-]+/gi, `$1 ${MASK}`],
  [/(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, MASK],
  [/((?:password|passwd|pwd|secret|token|api[_-]?key)\s{0,16}[=:]\s{0,16})('[^']*'?|"[^"]*"?|[^\s,;&]+)/gi, `$1${MASK}`],
  [/((?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/[^:/\s@]{1,256}:)[^@\s/]{1,256}@/gi, `$1${MASK}@`],
];

/** Cuts `text` to the logged length, saying how much was left out. */
export function boundText(text: string, max = MAX_LOGGED_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}…[${text.length - max} more characters]`;
}

/** Masks credentials in text of any length, in time linear in it. */
export function maskCredentials(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_RULES) out = out.replace(pattern, replacement);
  return out;
}

export function redactText(text: string): string {
  return maskCredentials(boundText(text));
}

export function redactFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 100).map((item) => redactFields(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && inner !== undefined && inner !== null ? MASK : redactFields(inner, depth + 1);
  }
  return out;
}
