/**
 * Row comparison for test expectations. Values compare by their JSON meaning, with one
 * allowance: a number written in YAML matches the same number sent as a string (big
 * integers and decimals travel as strings to stay exact).
 */
export type Row = Record<string, unknown>;

export function valuesMatch(expected: unknown, actual: unknown): boolean {
  if (expected === actual) return true;
  if (expected === null || actual === null || expected === undefined || actual === undefined) return false;
  if (typeof expected === 'number' && typeof actual === 'string') return actual.trim() !== '' && Number(actual) === expected;
  if (typeof expected === 'string' && typeof actual === 'number') return expected.trim() !== '' && Number(expected) === actual;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && expected.length === actual.length && expected.every((v, i) => valuesMatch(v, actual[i]));
  }
  if (typeof expected === 'object' && typeof actual === 'object') {
    const e = expected as Row;
    const a = actual as Row;
    const keys = new Set([...Object.keys(e), ...Object.keys(a)]);
    return [...keys].every((k) => valuesMatch(e[k], a[k]));
  }
  return false;
}

/** An expected row matches when every column it names matches; unnamed columns are ignored. */
export function rowMatches(expected: Row, actual: Row): boolean {
  return Object.keys(expected).every((k) => valuesMatch(expected[k], actual[k]));
}

/** Lines of a readable diff of expected against actual rows, empty when they match. */
export function diffRows(expected: Row[], actual: Row[]): string[] {
  const lines: string[] = [];
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const a = actual[i];
    if (e && a && rowMatches(e, a)) continue;
    if (e) lines.push(`row ${i + 1}  - expected ${show(e)}`);
    if (a) lines.push(`row ${i + 1}  + actual   ${show(e ? pick(a, Object.keys(e)) : a)}`);
    else lines.push(`row ${i + 1}  + actual   (no row)`);
  }
  return lines;
}

/** Expected rows that appear nowhere in the actual rows. */
export function missingRows(expected: Row[], actual: Row[]): Row[] {
  return expected.filter((e) => !actual.some((a) => rowMatches(e, a)));
}

function pick(row: Row, keys: string[]): Row {
  const shown: Row = {};
  for (const key of keys) shown[key] = row[key];
  for (const key of Object.keys(row)) if (!(key in shown)) shown[key] = row[key];
  return shown;
}

export function show(row: unknown): string {
  const text = JSON.stringify(row);
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
