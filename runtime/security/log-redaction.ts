/**
 * Keeps credentials out of the log. Fields whose names say they hold a secret are
 * replaced whole; in free text (error messages, SQL, URLs) bearer and basic credentials,
 * `password=` style pairs and the password part of a URL are masked.
 */
const SECRET_KEY = /(?:^|[_-])(?:authorization|password|passwd|secret|token|api[_-]?key|cookie|credential)s?$|^(?:authorization|password|secret|token|apikey|api_key|cookie)/i;
const MASK = '[redacted]';

const TEXT_RULES: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic|ApiKey)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${MASK}`],
  [/\b(eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*)/g, MASK],
  [/((?:password|passwd|pwd|secret|token|api[_-]?key)\s*[=:]\s*)('[^']*'|"[^"]*"|[^\s,;&]+)/gi, `$1${MASK}`],
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s/]+@/gi, `$1${MASK}@`],
];

export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_RULES) out = out.replace(pattern, replacement);
  return out;
}

export function redactFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactFields(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && inner !== undefined && inner !== null ? MASK : redactFields(inner, depth + 1);
  }
  return out;
}
