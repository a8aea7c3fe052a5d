/** A manifest touching every parameter kind and validator, shared by the OpenAPI and docs tests. */
import { MANIFEST_VERSION, type EndpointSpec, type Manifest } from '../runtime/manifest.js';

function endpoint(partial: Partial<EndpointSpec> & Pick<EndpointSpec, 'name' | 'urlPath'>): EndpointSpec {
  return {
    file: `sqls/${partial.name}.yaml`,
    method: 'GET',
    template: { file: `sqls/${partial.name}.sql`, sql: 'SELECT 1' },
    connection: ['data'],
    pagination: false,
    requestFieldsValidation: false,
    params: [],
    columns: [],
    operation: { type: 'read', transaction: false, returnsData: true },
    ...partial,
  };
}

export function sampleManifest(): Manifest {
  return {
    manifestVersion: MANIFEST_VERSION,
    project: { name: 'flights', description: 'Flights and airports.', root: '/srv/flights' },
    server: {
      port: 8080, host: '0.0.0.0', enforceHttps: false, maxLimit: 500, defaultLimit: 100, bodyLimit: 1 << 20,
      requestTimeoutMs: 0, poolSize: 0, responseCacheBytes: 1 << 24,
    },
    duckdb: { settings: {} },
    connections: { data: { name: 'data', properties: {}, logQueries: false, logParameters: false } },
    environmentWhitelist: [],
    endpoints: [
      endpoint({
        name: 'get_flights',
        urlPath: '/flights',
        description: 'Flights, newest first.\nFilter by origin and date.',
        pagination: true,
        params: [
          { name: 'origin', in: 'query', required: false, description: 'IATA code of the origin airport.', validators: [{ type: 'string', regex: '[A-Z]{3}', min: 3, max: 3 }] },
          { name: 'from', in: 'query', required: false, validators: [{ type: 'date', min: '2001-01-01', max: '2001-06-30' }] },
          { name: 'sort', in: 'query', required: false, default: 'date', validators: [{ type: 'enum', allowedValues: ['date', 'delay', 'distance'] }] },
          { name: 'min_delay', in: 'query', required: false, default: '0', validators: [{ type: 'int', min: -60, max: 1000 }] },
        ],
        columns: [
          { name: 'id', type: 'BIGINT', nullable: false },
          { name: 'date', type: 'TIMESTAMP', nullable: true },
          { name: 'delay', type: 'INTEGER', nullable: true },
          { name: 'origin', type: 'VARCHAR', nullable: true },
        ],
      }),
      endpoint({
        name: 'get_flights_id',
        urlPath: '/flights/:id',
        description: 'One flight by id.',
        params: [{ name: 'id', in: 'path', required: true, validators: [{ type: 'int', min: 1 }] }],
        columns: [
          { name: 'id', type: 'BIGINT', nullable: false },
          { name: 'fare', type: 'DECIMAL(10,2)', nullable: true },
          { name: 'legs', type: 'STRUCT("from" VARCHAR, stops INTEGER[])[]', nullable: true },
        ],
      }),
      endpoint({
        name: 'get_airports_iata_reviews',
        urlPath: '/airports/:iata/reviews',
        params: [
          { name: 'iata', in: 'path', required: true, validators: [{ type: 'string', regex: '[A-Z]{3}' }] },
          { name: 'X-Reviewer', in: 'header', required: false, description: 'Reviewer id.', validators: [{ type: 'uuid' }] },
          { name: 'at', in: 'query', required: false, validators: [{ type: 'time', min: '06:00' }] },
          { name: 'verified', in: 'query', required: false, validators: [{ type: 'boolean' }] },
        ],
        columns: [
          { name: 'tags', type: 'MAP(VARCHAR, DOUBLE)', nullable: true },
          { name: 'mood', type: "ENUM('sad', 'happy')", nullable: false },
        ],
      }),
      endpoint({
        name: 'post_reviews',
        urlPath: '/reviews',
        method: 'POST',
        description: 'Add a review.',
        operation: { type: 'write', transaction: true, returnsData: false },
        requestFieldsValidation: true,
        auth: { enabled: true, type: 'bearer', jwt: { secret: { env: 'JWT_SECRET' }, algorithms: ['HS256'], audience: [], clockSkewSeconds: 60, requireExpiry: true, claims: { username: 'sub', email: 'email', roles: 'roles' } } },
        params: [
          { name: 'email', in: 'body', required: true, validators: [{ type: 'email' }] },
          { name: 'stars', in: 'body', required: true, description: 'One to five.', validators: [{ type: 'int', min: 1, max: 5 }] },
          { name: 'score', in: 'body', required: false, validators: [{ type: 'number', min: 0, max: 1 }] },
        ],
      }),
      endpoint({ name: 'mcp_only', urlPath: undefined }),
    ],
  };
}
