/**
 * The columns a cache template would produce in PostgreSQL, without reading a row:
 * what `flapi validate` needs to check the template and build an empty stand-in for
 * the cache table, so endpoint templates reading it can be dry-run too.
 */
import pg from 'pg';
import type { ConnectionSpec } from '../manifest.js';
import { asSubquery } from './cache-source.js';
import { connectionUrl } from './postgres-source.js';
import { columnTransfer } from './postgres-types.js';

export interface DescribedColumn {
  name: string;
  /** The DuckDB type the column has in the cache. */
  type: string;
}

export class PostgresQueryError extends Error {
  constructor(message: string, readonly offset: number | undefined) {
    super(message);
    this.name = 'PostgresQueryError';
  }
}

/** Prefix put before the template text; an error position beyond it points into the template. */
const PREFIX = 'SELECT * FROM (';

/**
 * Throws PostgresQueryError when PostgreSQL rejects the SQL (with the offset into `sql`
 * when it gives one); any other error means PostgreSQL could not be asked.
 */
export async function describePostgres(
  connection: ConnectionSpec, sql: string, env: Readonly<Record<string, string | undefined>>, timeoutMs = 3000,
): Promise<DescribedColumn[]> {
  const url = connectionUrl(connection, env);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, application_name: 'flapi-validate' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('BEGIN READ ONLY');
    let result;
    try {
      result = await client.query(`${PREFIX}${asSubquery(sql).slice(1)} AS _flapi_source LIMIT 0`);
    } catch (err) {
      const position = Number((err as { position?: string }).position);
      const offset = Number.isFinite(position) && position > PREFIX.length ? position - PREFIX.length - 1 : undefined;
      throw new PostgresQueryError((err as Error).message, offset);
    }
    return result.fields.map((f) => ({ name: f.name, type: columnTransfer(f).type }));
  } finally {
    await client.end().catch(() => undefined);
  }
}
