import { parse } from 'yaml';

/**
 * The whitelist must be known before substitution, yet lives in the file being
 * substituted: read it from the raw text with directives blanked out.
 */
export function readWhitelist(text: string): string[] {
  const neutral = text
    .split('\n')
    .map((line) => (/\{\{include/.test(line) ? '' : line.replace(/\{\{\s*env\.[A-Za-z0-9_]+\s*\}\}/g, 'x')))
    .join('\n');
  try {
    const data = parse(neutral) as { template?: { 'environment-whitelist'?: unknown }; 'environment-whitelist'?: unknown } | null;
    // flAPI projects also write the list at the top level; both places count.
    return [...patterns(data?.template?.['environment-whitelist']), ...patterns(data?.['environment-whitelist'])];
  } catch {
    // A broken file is reported by the real parse; an empty whitelist is the safe reading.
  }
  return [];
}

function patterns(list: unknown): string[] {
  if (Array.isArray(list)) return list.filter((x): x is string => typeof x === 'string');
  return typeof list === 'string' ? [list] : [];
}
