/**
 * The real PostgreSQL the cache tests run against (127.0.0.1:5432, trust auth): one
 * schema per test run, dropped afterwards, and a TCP relay that can be stopped and
 * restarted to take the database "down" and bring it back on the same port.
 */
import { randomBytes } from 'node:crypto';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import pg from 'pg';

export const PG_URL = process.env['FLAPI_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why the PostgreSQL tests cannot run here, or undefined when they can. */
export async function postgresUnavailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return `PostgreSQL is not reachable at ${PG_URL.replace(/:[^:@/]*@/, ':***@')} (${(err as Error).message}); set FLAPI_TEST_PG_URL`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A flapi.yaml with one PostgreSQL source connection `pg`: its url from TEST_PG_URL and the
 * test's schema as `conn.schema` (TEST_PG_SCHEMA); `duckdb` lines follow when given.
 */
export function pgFlapiYaml(project: string, duckdb = ''): string {
  return `project-name: ${project}
template:
  path: ./sqls
  environment-whitelist: ['^TEST_PG_.*']
connections:
  pg:
    type: postgres
    url: '{{env.TEST_PG_URL}}'
    properties:
      schema: '{{env.TEST_PG_SCHEMA}}'
${duckdb}`;
}

export interface TestSchema {
  name: string;
  query(sql: string, values?: unknown[]): Promise<pg.QueryResult>;
  drop(): Promise<void>;
}

export async function testSchema(prefix = 'flapi_cache'): Promise<TestSchema> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: PG_URL });
  client.on('error', () => undefined);
  await client.connect();
  await client.query(`CREATE SCHEMA ${name}`);
  await client.query(`SET search_path = ${name}`);
  return {
    name,
    query: (sql, values) => client.query(sql, values),
    async drop() {
      await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

export interface TcpRelay {
  readonly port: number;
  /** A URL like PG_URL that goes through the relay. */
  readonly url: string;
  /** Stops listening and cuts every relayed connection: the database is "down". */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export async function tcpRelay(targetUrl = PG_URL): Promise<TcpRelay> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () => new Promise<void>((resolve, reject) => {
    server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      port = (server!.address() as AddressInfo).port;
      resolve();
    });
  });
  await listen();
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    get port() {
      return port;
    },
    url: url.toString(),
    async stop() {
      const closing = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      for (const s of sockets) s.destroy();
      await closing;
      server = undefined;
    },
    start: listen,
  };
}
