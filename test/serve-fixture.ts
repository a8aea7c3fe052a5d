/**
 * A Manifest built in code over a small table made by a connection's init SQL, for the
 * serve tests. No compiler involved: these tests pin the runtime alone.
 */
import type { EndpointSpec, Manifest } from '../runtime/manifest.js';

export const INIT_SQL = `
CREATE TABLE flights AS
  SELECT i AS id,
         CASE i % 3 WHEN 0 THEN 'JFK' WHEN 1 THEN 'LAX' ELSE 'SFO' END AS origin,
         (DATE '2024-01-01' + i::INTEGER) AS day,
         i * 1.5 AS price
  FROM range(1, 31) t(i);
`;

export function endpoint(partial: Partial<EndpointSpec> & Pick<EndpointSpec, 'urlPath'> & { sql: string }): EndpointSpec {
  const { sql, ...rest } = partial;
  return {
    name: partial.urlPath!.replace(/\W+/g, '_'),
    file: 'test.yaml',
    method: 'GET',
    template: { file: 'test.sql', sql },
    connection: ['main'],
    pagination: false,
    requestFieldsValidation: false,
    params: [],
    columns: [],
    operation: { type: 'read', transaction: false, returnsData: true },
    ...rest,
  };
}

export function manifest(endpoints: EndpointSpec[], init = INIT_SQL): Manifest {
  return {
    manifestVersion: 1,
    project: { name: 'test', root: '/' },
    server: {
      port: 0,
      host: '127.0.0.1',
      enforceHttps: false,
      maxLimit: 20,
      defaultLimit: 5,
      bodyLimit: 4096,
      requestTimeoutMs: 0,
      poolSize: 2,
      responseCacheBytes: 0,
    },
    duckdb: { settings: { autoinstall_known_extensions: false, autoload_known_extensions: false } },
    connections: { main: { name: 'main', init, properties: { table: 'flights' }, logQueries: false, logParameters: false } },
    environmentWhitelist: [],
    endpoints,
  };
}
