/**
 * Identifiers the cache layer writes into SQL text. They come from the project's config
 * (never from a request), and are still quoted so any name DuckDB accepts works.
 */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function qualified(...parts: string[]): string {
  return parts.map(quoteIdent).join('.');
}

/** Physical table of one refresh: `orders__v12`. The cache's own name is a view onto the current one. */
export function versionTableName(table: string, snapshotId: number): string {
  return `${table}__v${snapshotId}`;
}

/** Snapshot id of a physical table name written by `versionTableName`, if it is one of this table's. */
export function versionOf(table: string, physical: string): number | undefined {
  const prefix = `${table}__v`;
  if (!physical.startsWith(prefix)) return undefined;
  const rest = physical.slice(prefix.length);
  return /^\d+$/.test(rest) ? Number(rest) : undefined;
}
