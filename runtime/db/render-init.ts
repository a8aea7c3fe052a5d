/**
 * Connection `init` SQL may use `{{conn.x}}` and `{{env.X}}` (double or triple braces).
 * These come from the project's own configuration, never from a request, so plain text
 * substitution is safe here; an unknown name renders empty as Mustache would.
 */
const TAG = /\{\{\{?\s*(conn|env)\.([A-Za-z0-9_.-]+)\s*\}?\}\}/g;

export function renderInit(
  sql: string,
  conn: Readonly<Record<string, string | number | boolean>>,
  env: Readonly<Record<string, string>>,
): string {
  return sql.replace(TAG, (_tag, namespace: string, key: string) => {
    const value = namespace === 'conn' ? conn[key] : env[key];
    return value === undefined ? '' : String(value);
  });
}
