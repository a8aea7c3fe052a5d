/** Coercion of YAML values into the manifest's types; the schema check reports wrong types. */
export type YamlMap = Record<string, unknown>;

export function asMap(value: unknown): YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as YamlMap) : {};
}

export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export function asBoolean(value: unknown, fallback: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return fallback;
}

export function asStringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(asString).filter((x): x is string => x !== undefined);
  const one = asString(value);
  return one === undefined ? [] : [one];
}

export function asScalar(value: unknown): string | number | boolean | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}

/** `worker-interval` → `workerInterval`, recursively through maps and lists. */
export function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: YamlMap = {};
  for (const [key, inner] of Object.entries(value)) out[camelCase(key)] = camelCaseKeys(inner);
  return out;
}

export function camelCase(key: string): string {
  return key.replace(/[-_]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `30s`, `5m`, `1h`, `2d` or a bare number of seconds. */
export function durationSeconds(value: unknown): number | undefined {
  const n = asNumber(value);
  if (n !== undefined) return n;
  const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(value) : null;
  if (!match) return undefined;
  const factor = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * factor;
}

/** `512kb`, `1mb`, `2gb` (powers of 1024) or a bare number of bytes. */
export function byteSize(value: unknown): number | undefined {
  const n = asNumber(value);
  if (n !== undefined) return n;
  const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)\s*$/i.exec(value) : null;
  if (!match) return undefined;
  const unit = match[2]!.toLowerCase().replace(/b$/, '') || 'b';
  const factor = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit as 'b' | 'k' | 'm' | 'g'];
  return Math.round(Number(match[1]) * factor);
}
