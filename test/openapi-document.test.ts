import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { buildOpenApi, openApiPath, parseTypeText, rowSchema, type JsonSchema } from '../runtime/openapi/index.js';
import { openApiYaml } from '../runtime/openapi/openapi-yaml.js';
import { rowObjectsFromResult } from '../runtime/serialize/index.js';
import type { ColumnSpec } from '../runtime/manifest.js';
import { sampleManifest } from './openapi-sample-manifest.js';

type Doc = ReturnType<typeof buildOpenApi>;
const doc: Doc = buildOpenApi(sampleManifest(), 'http://localhost:8080');

function op(path: string, method: string): JsonSchema {
  const operation = doc.paths[path]?.[method];
  assert.ok(operation, `${method} ${path} is documented`);
  return operation;
}

/** `{ $ref: '#/components/responses/X' }` → the named response. */
function resolveRef(value: JsonSchema): JsonSchema {
  const name = String(value.$ref).replace('#/components/responses/', '');
  const found = doc.components.responses[name];
  assert.ok(found, `response ${name}`);
  return found;
}

function param(operation: JsonSchema, name: string): JsonSchema {
  const found = (operation.parameters as JsonSchema[]).find((p) => p.name === name);
  assert.ok(found, `parameter ${name}`);
  return found;
}

describe('buildOpenApi', () => {
  it('is a valid OpenAPI 3.1 document, also as YAML', async () => {
    const validator = new Validator();
    const result = await validator.validate(doc as unknown as Record<string, unknown>);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    assert.equal(validator.version, '3.1');
    assert.deepEqual(parse(openApiYaml(doc)), JSON.parse(JSON.stringify(doc)));
  });

  it('has one path per HTTP endpoint with {param} syntax', () => {
    assert.deepEqual(Object.keys(doc.paths).sort(), ['/airports/{iata}/reviews', '/flights', '/flights/{id}', '/reviews']);
    assert.equal(openApiPath('/a/:b/c/:d_e'), '/a/{b}/c/{d_e}');
    assert.deepEqual(doc.servers, [{ url: 'http://localhost:8080' }]);
    assert.equal(op('/flights', 'get').operationId, 'get_flights');
    assert.equal(op('/flights', 'get').summary, 'Flights, newest first.');
  });

  it('turns validators into JSON Schema', () => {
    const flights = op('/flights', 'get');
    assert.deepEqual(param(flights, 'origin').schema, { type: 'string', pattern: '^(?:[A-Z]{3})$', minLength: 3, maxLength: 3 });
    assert.equal(param(flights, 'origin').description, 'IATA code of the origin airport.');
    assert.equal(param(flights, 'origin').required, false);
    assert.deepEqual(param(flights, 'from').schema, { type: 'string', format: 'date', description: 'A date from 2001-01-01 to 2001-06-30.' });
    assert.deepEqual(param(flights, 'sort').schema, { type: 'string', enum: ['date', 'delay', 'distance'], default: 'date' });
    assert.deepEqual(param(flights, 'min_delay').schema, { type: 'integer', minimum: -60, maximum: 1000, default: 0 });
    const one = op('/flights/{id}', 'get');
    assert.deepEqual(param(one, 'id'), { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } });
    const reviews = op('/airports/{iata}/reviews', 'get');
    assert.equal(param(reviews, 'X-Reviewer').in, 'header');
    assert.deepEqual(param(reviews, 'X-Reviewer').schema, { type: 'string', format: 'uuid' });
    assert.deepEqual(param(reviews, 'verified').schema, { type: 'boolean' });
    const timePattern = new RegExp(String((param(reviews, 'at').schema as JsonSchema).pattern));
    assert.match('06:30', timePattern);
    assert.doesNotMatch('24:00', timePattern);
  });

  it('documents pagination, formats and the paginated envelope', () => {
    const flights = op('/flights', 'get');
    assert.deepEqual(param(flights, 'limit').schema, { type: 'integer', minimum: 1, maximum: 500, default: 100 });
    assert.deepEqual(param(flights, 'offset').schema, { type: 'integer', minimum: 0, default: 0 });
    assert.deepEqual((param(flights, 'format').schema as JsonSchema).enum, ['json', 'csv', 'ndjson', 'arrow', 'parquet']);
    const ok = (flights.responses as Record<string, JsonSchema>)['200']!;
    const content = ok.content as Record<string, JsonSchema>;
    assert.deepEqual(Object.keys(content), [
      'application/json', 'text/csv', 'application/x-ndjson', 'application/vnd.apache.arrow.stream', 'application/vnd.apache.parquet',
    ]);
    assert.ok((ok.headers as JsonSchema)['X-Total-Count']);
    assert.equal(JSON.stringify(content['application/json']).includes('#/components/schemas/Page'), true);
    assert.equal(param(op('/flights/{id}', 'get'), 'format').in, 'query');
    assert.equal((op('/flights/{id}', 'get').parameters as JsonSchema[]).some((p) => p.name === 'limit'), false);
  });

  it('documents body parameters, auth and error responses', () => {
    const post = op('/reviews', 'post');
    const body = post.requestBody as { required: boolean; content: Record<string, { schema: JsonSchema }> };
    assert.equal(body.required, true);
    assert.deepEqual(body.content['application/json']!.schema, {
      type: 'object',
      properties: {
        email: { type: 'string', format: 'email' },
        stars: { type: 'integer', minimum: 1, maximum: 5, description: 'One to five.' },
        score: { type: 'number', minimum: 0, maximum: 1 },
      },
      required: ['email', 'stars'],
      additionalProperties: false,
    });
    assert.deepEqual(post.security, [{ bearerAuth: [] }]);
    assert.deepEqual(doc.components.securitySchemes, { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } });
    const responses = post.responses as Record<string, JsonSchema>;
    assert.deepEqual(Object.keys(responses).sort(), ['200', '400', '401', '403', '413', '415', '500']);
    assert.deepEqual(Object.keys(op('/flights', 'get').responses as JsonSchema).sort(), ['200', '400', '406', '500']);
    const error = doc.components.schemas.Error as { properties: Record<string, JsonSchema>; required: string[] };
    assert.deepEqual(Object.keys(error.properties), ['error', 'request_id']);
    assert.deepEqual(error.required, ['error']);
    for (const status of ['401', '403', '413', '415', '500']) {
      const named = resolveRef(responses[status]!) as { content: Record<string, { schema: JsonSchema }> };
      assert.deepEqual(named.content['application/json']!.schema, { $ref: '#/components/schemas/Error' }, status);
    }
    const timed = sampleManifest();
    timed.server.requestTimeoutMs = 5000;
    const timedFlights = buildOpenApi(timed, 'http://localhost:8080').paths['/flights']!['get']!;
    assert.deepEqual(Object.keys(timedFlights.responses as JsonSchema).sort(), ['200', '400', '406', '500', '503']);
    const badRequest = doc.components.responses.BadRequest as { content: Record<string, { schema: JsonSchema }> };
    assert.deepEqual(badRequest.content['application/json']!.schema, { $ref: '#/components/schemas/ValidationErrors' });
  });
});

describe('row schemas', () => {
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  before(async () => {
    instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
    conn = await instance.connect();
    await conn.run("CREATE TYPE mood AS ENUM ('sad', 'happy')");
  });
  after(() => {
    conn.closeSync();
    instance.closeSync();
  });

  it('parses DuckDB type text, nested and multi-word', () => {
    assert.deepEqual(parseTypeText('STRUCT("a b" INTEGER, c VARCHAR[])[]'), {
      kind: 'list',
      item: { kind: 'struct', fields: [
        { name: 'a b', type: { kind: 'named', name: 'INTEGER', args: [] } },
        { name: 'c', type: { kind: 'list', item: { kind: 'named', name: 'VARCHAR', args: [] } } },
      ] },
    });
    assert.deepEqual(parseTypeText('TIMESTAMP WITH TIME ZONE'), { kind: 'named', name: 'TIMESTAMP WITH TIME ZONE', args: [] });
    assert.deepEqual(parseTypeText("ENUM('it''s', 'b')"), { kind: 'enum', values: ["it's", 'b'] });
    assert.deepEqual(parseTypeText('MAP(VARCHAR, DECIMAL(10,2))'), {
      kind: 'map', key: { kind: 'named', name: 'VARCHAR', args: [] }, value: { kind: 'named', name: 'DECIMAL', args: [10, 2] },
    });
    assert.deepEqual(parseTypeText('INTEGER[3]'), { kind: 'list', item: { kind: 'named', name: 'INTEGER', args: [] }, length: 3 });
  });

  it('describes exactly what the value conversion emits, for every DuckDB type', async () => {
    const sql = `SELECT i::TINYINT AS ti, i::INTEGER AS int, (i * 3074457345618258602)::BIGINT AS big,
      (i * 1e30)::HUGEINT AS huge, i::UBIGINT AS ubig, i * 0.5 AS dbl, (i / 3)::FLOAT AS flt, (i / 7)::DECIMAL(9,3) AS dec,
      DATE '2020-02-28' + i::INTEGER AS day, TIMESTAMP '2020-01-01 10:00:00.5' + to_days(i::INTEGER) AS ts,
      TIMESTAMPTZ '2020-01-01 10:00:00+02' AS tstz, TIME '10:11:12' AS t, TIMETZ '10:11:12+01:00' AS ttz,
      INTERVAL (i) HOUR AS iv, uuid() AS id, 'x\\x00y'::BLOB AS bin, [i, NULL] AS list, [1, 2]::INTEGER[2] AS arr,
      {'a': i, 'b c': [DATE '2001-01-01']} AS st, MAP {'k' || i: i * 1.5} AS m, 'happy'::mood AS e, i % 2 = 0 AS flag,
      CASE WHEN i = 1 THEN NULL ELSE 'v' END AS maybe, '101'::BIT AS bits, union_value(n := i::INTEGER) AS u
      FROM range(0, 3) t(i)`;
    const result = await conn.run(sql);
    const columns: ColumnSpec[] = result.columnNames().map((name, i) => ({ name, type: result.columnTypes()[i]!.toString(), nullable: true }));
    const rows = await rowObjectsFromResult(result);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addFormat('decimal', /^-?[0-9]+(\.[0-9]+)?$/);
    for (const format of ['int32', 'int64', 'uint64', 'hugeint', 'uhugeint', 'bignum', 'varint', 'float', 'double']) ajv.addFormat(format, true);
    const validate = ajv.compile(rowSchema(columns));
    for (const row of rows) assert.ok(validate(row), JSON.stringify({ row, errors: validate.errors }, null, 1));
    // The schema is strict enough to catch a wrong mapping.
    for (const [column, wrong] of [['big', 1.5], ['dec', 0.5], ['day', '2020-13-45'], ['ts', '2020-01-01 10:00:00'], ['id', 'x'], ['arr', [1]], ['e', 'meh'], ['st', { a: 1 }]] as const) {
      assert.equal(validate({ ...rows[0], [column]: wrong }), false, `${column} rejects ${JSON.stringify(wrong)}`);
    }
  });
});
