/**
 * PostgreSQL as a cache source, through the `pg` driver: the cache template runs in
 * PostgreSQL and its rows arrive by `COPY (...) TO STDOUT (FORMAT csv)`, streamed through
 * a named pipe into DuckDB's CSV reader with the column types PostgreSQL described. No
 * row is ever inserted one at a time, and no DuckDB extension is needed.
 */
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { ConnectionSpec } from '../manifest.js';
import { asSubquery, type CacheSource, type SourceRelation } from './cache-source.js';
import { columnTransfer, type ColumnTransfer } from './postgres-types.js';
import { createRowsPipe } from './rows-pipe.js';
import { quoteIdent, quoteLiteral } from './sql-names.js';

const CONNECT_TIMEOUT_MS = 10_000;

/** Session settings that make every value's text form one DuckDB parses the same way. */
const SESSION = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET client_encoding = 'UTF8'";

export function postgresSource(connection: ConnectionSpec, env: Readonly<Record<string, string | undefined>>): CacheSource {
  return {
    kind: 'postgres',
    open: (sql, signal) => openPostgres(connection, connectionUrl(connection, env), sql, signal),
  };
}

/** The connection's URL: written literally, or read now from the variable it names. */
export function connectionUrl(connection: ConnectionSpec, env: Readonly<Record<string, string | undefined>>): string {
  const url = connection.url ?? (connection.urlEnv !== undefined ? env[connection.urlEnv] : undefined) ?? '';
  if (url.trim() !== '') return url;
  throw new Error(connection.urlEnv !== undefined
    ? `connection \`${connection.name}\` takes its url from the environment variable ${connection.urlEnv}, which is not set`
    : `connection \`${connection.name}\` (type ${connection.type}) has no url; set \`url:\` (e.g. '{{env.DATABASE_URL}}') in flapi.yaml`);
}

async function openPostgres(connection: ConnectionSpec, url: string, sql: string, signal?: AbortSignal): Promise<SourceRelation> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'flapi-cache' });
  // A connection dropped mid-transfer surfaces through the running query; this keeps it from crashing the process.
  client.on('error', () => undefined);
  const abort = () => void client.end().catch(() => undefined);
  signal?.addEventListener('abort', abort, { once: true });
  let pipe: Awaited<ReturnType<typeof createRowsPipe>> | undefined;
  try {
    await client.connect();
    await client.query(SESSION);
    // One snapshot for the description and the rows.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const subquery = asSubquery(sql);
    const described = await client.query(`SELECT * FROM ${subquery} AS _flapi_source LIMIT 0`);
    const columns = uniqueNames(described.fields.map(columnTransfer));
    if (columns.length === 0) throw new Error('the cache template returns no columns');
    const aliases = columns.map((_c, i) => `c${i + 1}`);
    const exports = columns.map((c, i) => c.exportExpr.replace('$', aliases[i]!)).join(', ');
    const copySql = `COPY (SELECT ${exports} FROM ${subquery} AS _flapi_source(${aliases.join(', ')})) TO STDOUT (FORMAT csv)`;

    pipe = await createRowsPipe();
    const stream = client.query(copyTo(copySql));
    signal?.addEventListener('abort', () => stream.destroy(new Error('refresh aborted')), { once: true });
    const filled = pipe.fill(stream);
    const finished = filled.then(() => client.query('COMMIT')).then(() => undefined);
    if (!pipe.streaming) await finished;
    // Settled by whoever waits on it; a failure here must not count as unhandled meanwhile.
    finished.catch(() => undefined);

    const owned = pipe;
    let closed: Promise<void> | undefined;
    return {
      sql: relationSql(owned.path, columns, aliases),
      done: finished,
      close() {
        closed ??= (async () => {
          signal?.removeEventListener('abort', abort);
          stream.destroy();
          await owned.dispose();
          await client.end().catch(() => undefined);
        })();
        return closed;
      },
    };
  } catch (err) {
    signal?.removeEventListener('abort', abort);
    await pipe?.dispose();
    await client.end().catch(() => undefined);
    throw err;
  }
}

function relationSql(path: string, columns: ColumnTransfer[], aliases: string[]): string {
  const types = columns.map((c, i) => `${quoteLiteral(aliases[i]!)}: ${quoteLiteral(c.csvType)}`).join(', ');
  const select = columns.map((c, i) => `${c.loadExpr.replace('$', aliases[i]!)} AS ${quoteIdent(c.name)}`).join(', ');
  // allow_quoted_nulls = false: COPY writes NULL as nothing and an empty string as "".
  const reader = `read_csv(${quoteLiteral(path)}, columns = {${types}}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false, max_line_size = 16777216)`;
  return `(SELECT ${select} FROM ${reader})`;
}

/** Two columns of one name cannot both live in a table: the second becomes `name_2`. */
function uniqueNames(columns: ColumnTransfer[]): ColumnTransfer[] {
  const seen = new Set<string>();
  return columns.map((c) => {
    let name = c.name;
    for (let i = 2; seen.has(name.toLowerCase()); i++) name = `${c.name}_${i}`;
    seen.add(name.toLowerCase());
    return { ...c, name };
  });
}
