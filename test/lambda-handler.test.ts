import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp, silentLogger, startServer, type FlapiApp, type HttpServerHandle } from '../runtime/index.js';
import { createLambdaHandler, lambdaDefaults, type ApiGatewayV1Event, type ApiGatewayV2Event, type LambdaHandler } from '../runtime/adapters/aws-lambda/index.js';
import { endpoint, manifest } from './serve-fixture.js';
import { functionUrlEvent, v1Event, v2Event } from './support/lambda-events.js';

const m = manifest([
  endpoint({
    urlPath: '/flights',
    sql: `SELECT id, origin, day FROM flights WHERE 1=1
{{#params.origin}} AND origin = {{params.origin}} {{/params.origin}}
{{#params.min_id}} AND id >= {{params.min_id}} {{/params.min_id}}
ORDER BY id`,
    params: [
      { name: 'origin', in: 'query', required: false, validators: [{ type: 'string', regex: '^[A-Z]{3}$' }] },
      { name: 'min_id', in: 'query', required: false, validators: [{ type: 'int', min: 1 }] },
    ],
  }),
  endpoint({
    urlPath: '/flights/:id',
    sql: 'SELECT id, origin, price FROM flights WHERE id = {{params.id}}',
    params: [{ name: 'id', in: 'path', required: true, validators: [{ type: 'int', min: 1 }] }],
  }),
  endpoint({
    urlPath: '/search',
    method: 'POST',
    sql: "SELECT count(*)::INT AS n FROM flights WHERE origin = '{{params.origin}}' AND day >= {{params.since}}",
    requestFieldsValidation: true,
    params: [
      { name: 'origin', in: 'body', required: true, validators: [{ type: 'enum', allowedValues: ['JFK', 'LAX', 'SFO'] }] },
      { name: 'since', in: 'body', required: false, default: '2024-01-01', validators: [{ type: 'date' }] },
    ],
  }),
  endpoint({
    urlPath: '/pages',
    pagination: true,
    sql: 'SELECT id FROM flights {{#params.origin}} WHERE origin = {{params.origin}} {{/params.origin}} ORDER BY id',
    params: [{ name: 'origin', in: 'query', required: false, validators: [{ type: 'string' }] }],
  }),
]);

const isV2 = (e: ApiGatewayV1Event | ApiGatewayV2Event): e is ApiGatewayV2Event => 'rawPath' in e;

const shapes = { v2: v2Event, v1: v1Event, 'function URL': functionUrlEvent } as const;

describe('AWS Lambda adapter', () => {
  let created = 0;
  let handler: LambdaHandler;
  let apps: FlapiApp[] = [];
  let server: HttpServerHandle;

  before(async () => {
    handler = createLambdaHandler(async () => {
      created++;
      const app = await createApp(lambdaDefaults(m), { logger: silentLogger });
      apps.push(app);
      return app;
    });
    server = await startServer(m, { port: 0, logger: silentLogger });
  });
  after(async () => {
    for (const app of apps) await app.close();
    apps = [];
    await server.close();
  });

  for (const [shape, make] of Object.entries(shapes)) {
    describe(`${shape} events`, () => {
      it('GET with query parameters', async () => {
        const result = await handler(make({ method: 'GET', path: '/flights', query: { origin: 'JFK', min_id: '20' } }));
        assert.equal(result.statusCode, 200);
        assert.match(result.headers['content-type'] ?? '', /^application\/json/);
        assert.equal(result.isBase64Encoded, false);
        const rows = JSON.parse(result.body) as { id: number; origin: string }[];
        assert.deepEqual(rows.map((r) => r.id), [21, 24, 27, 30]);
      });

      it('GET with a path parameter', async () => {
        const result = await handler(make({ method: 'GET', path: '/flights/7' }));
        assert.equal(result.statusCode, 200);
        assert.deepEqual(JSON.parse(result.body), [{ id: 7, origin: 'LAX', price: '10.5' }]);
      });

      it('POST with a JSON body', async () => {
        const body = JSON.stringify({ origin: 'SFO', since: '2024-01-20' });
        const result = await handler(make({ method: 'POST', path: '/search', body, headers: { 'content-type': 'application/json' } }));
        assert.equal(result.statusCode, 200);
        assert.deepEqual(JSON.parse(result.body), [{ n: 4 }]);
      });

      it('POST with a base64-encoded body', async () => {
        const body = Buffer.from(JSON.stringify({ origin: 'SFO' })).toString('base64');
        const result = await handler(make({ method: 'POST', path: '/search', body, base64: true, headers: { 'content-type': 'application/json' } }));
        assert.equal(result.statusCode, 200);
        assert.deepEqual(JSON.parse(result.body), [{ n: 10 }]);
      });

      it('404 for an unknown route, as JSON', async () => {
        const result = await handler(make({ method: 'GET', path: '/nope' }));
        assert.equal(result.statusCode, 404);
        assert.deepEqual(JSON.parse(result.body), { error: 'Not Found' });
      });

      it('400 naming the failing fields', async () => {
        const result = await handler(make({ method: 'GET', path: '/flights', query: { origin: 'jfk', min_id: '0' } }));
        assert.equal(result.statusCode, 400);
        const fields = (JSON.parse(result.body) as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
        assert.deepEqual(fields, ['min_id', 'origin']);
      });
    });
  }

  it('answers exactly as the HTTP server does (status, body, content type, paging links)', async () => {
    const cases: { path: string; query?: Record<string, string> }[] = [
      { path: '/pages', query: { origin: 'LAX', limit: '4' } },
      { path: '/flights/3' },
      { path: '/flights', query: { min_id: 'x' } },
    ];
    for (const c of cases) {
      const qs = new URLSearchParams(c.query ?? {}).toString();
      const http = await fetch(`${server.url}${c.path}${qs ? `?${qs}` : ''}`);
      const result = await handler(v2Event({ method: 'GET', path: c.path, ...(c.query ? { query: c.query } : {}) }));
      assert.equal(result.statusCode, http.status, c.path);
      assert.equal(result.headers['content-type'], http.headers.get('content-type'), c.path);
      assert.equal(result.body, await http.text(), c.path);
      if (http.headers.get('x-total-count')) assert.equal(result.headers['x-total-count'], http.headers.get('x-total-count'));
    }
  });

  it('returns binary formats base64-encoded', async () => {
    const result = await handler(v2Event({ method: 'GET', path: '/flights', query: { format: 'parquet', origin: 'SFO' } }));
    assert.equal(result.statusCode, 200);
    assert.equal(result.isBase64Encoded, true);
    const bytes = Buffer.from(result.body, 'base64');
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PAR1');
    const csv = await handler(v1Event({ method: 'GET', path: '/flights', query: { format: 'csv', origin: 'SFO' } }));
    assert.equal(csv.isBase64Encoded, false);
    assert.match(csv.body, /^id,origin,day\r\n2,SFO,2024-01-03\r\n/);
  });

  it('sees the request as HTTPS, the way the client made it', async () => {
    for (const make of [v2Event, v1Event, functionUrlEvent]) {
      const event = make({ method: 'GET', path: '/openapi.json' });
      const result = await handler(event);
      const host = isV2(event) ? event.headers?.['host'] : event.headers?.['Host'];
      assert.equal((JSON.parse(result.body) as { servers: { url: string }[] }).servers[0]?.url, `https://${host}`);
    }
  });

  it('strips a named HTTP API stage from rawPath', async () => {
    const result = await handler(v2Event({ method: 'GET', path: '/flights/7', stage: 'prod' }));
    assert.equal(result.statusCode, 200);
    assert.deepEqual((JSON.parse(result.body) as { id: number }[])[0]?.id, 7);
  });

  it('threads the Lambda request id through, and keeps a client id', async () => {
    const result = await handler(v2Event({ method: 'GET', path: '/_flapi/health' }), { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678' });
    assert.equal(result.headers['x-request-id'], 'c6af9ac6-7b61-11e6-9a41-93e812345678');
    const own = await handler(v1Event({ method: 'GET', path: '/_flapi/health', headers: { 'X-Request-Id': 'mine-1' } }), { awsRequestId: 'other' });
    assert.equal(own.headers['x-request-id'], 'mine-1');
  });

  it('created the app once for every invocation of the container', () => {
    assert.equal(created, 1);
  });

  it('retries app creation after a failed cold start, and refuses oversized results', async () => {
    let attempts = 0;
    const flaky = createLambdaHandler(
      async () => {
        attempts++;
        if (attempts === 1) throw new Error('artifact not reachable');
        const app = await createApp(m, { logger: silentLogger });
        apps.push(app);
        return app;
      },
      { eager: false, maxResultBytes: 700 },
    );
    await assert.rejects(flaky(v2Event({ method: 'GET', path: '/flights/1' })), /artifact not reachable/);
    const ok = await flaky(v2Event({ method: 'GET', path: '/flights/1' }));
    assert.equal(ok.statusCode, 200);
    const big = await flaky(v2Event({ method: 'GET', path: '/flights' }));
    assert.equal(big.statusCode, 500);
    assert.match((JSON.parse(big.body) as { error: string }).error, /exceeds the 700-byte AWS Lambda payload limit/);
    assert.equal(attempts, 2);
  });
});
