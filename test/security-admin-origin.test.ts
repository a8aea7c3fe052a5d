/**
 * Finding 8: only a caller known to be on this machine may use the admin routes without
 * a token. A Lambda event without a source address (ALB style) is not local, nor is any
 * request when the server trusts a proxy in front of it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp, silentLogger, startServer, type FlapiApp } from '../runtime/index.js';
import { createLambdaHandler, lambdaDefaults, type LambdaHandler } from '../runtime/adapters/aws-lambda/index.js';
import { apiKeyHash } from '../runtime/security/index.js';
import type { Manifest } from '../runtime/manifest.js';
import { endpoint, manifest } from './serve-fixture.js';
import { v1Event, v2Event } from './support/lambda-events.js';

const REFRESH = '/_flapi/cache/nothing/refresh';

function withoutSource(event: ReturnType<typeof v1Event>): ReturnType<typeof v1Event> {
  return { ...event, requestContext: { ...event.requestContext!, identity: null } } as ReturnType<typeof v1Event>;
}

describe('admin routes behind AWS Lambda', () => {
  const apps: FlapiApp[] = [];
  const handlerFor = (m: Manifest): LambdaHandler =>
    createLambdaHandler(async () => {
      const app = await createApp(lambdaDefaults(m), { logger: silentLogger });
      apps.push(app);
      return app;
    });
  after(async () => {
    for (const app of apps) await app.close();
  });

  it('refuses an admin POST from an event with no source IP when no token is configured', async () => {
    const handler = handlerFor(manifest([endpoint({ urlPath: '/rows', sql: 'SELECT 1 AS x' })]));
    const v1 = await handler(withoutSource(v1Event({ method: 'POST', path: REFRESH })));
    assert.equal(v1.statusCode, 403, v1.body);
    const v2 = v2Event({ method: 'POST', path: REFRESH });
    const { sourceIp: _ignored, ...http } = v2.requestContext.http;
    const v2NoIp = await handler({ ...v2, requestContext: { ...v2.requestContext, http } });
    assert.equal(v2NoIp.statusCode, 403, v2NoIp.body);
  });

  it('asks for the token when one is configured, and lets it through', async () => {
    const m = manifest([endpoint({ urlPath: '/rows', sql: 'SELECT 1 AS x' })]);
    m.admin = { token: { value: apiKeyHash('lambda-admin-token') }, protectMetrics: false };
    const handler = handlerFor(m);
    const refused = await handler(withoutSource(v1Event({ method: 'POST', path: REFRESH })));
    assert.equal(refused.statusCode, 401);
    const allowed = await handler(withoutSource(v1Event({ method: 'POST', path: REFRESH, headers: { Authorization: 'Bearer lambda-admin-token' } })));
    assert.equal(allowed.statusCode, 404, 'past the guard: the endpoint has no cache');
  });
});

describe('admin routes behind a trusted proxy', () => {
  it('a loopback socket is not a local caller when X-Forwarded-For is trusted', async () => {
    const m = manifest([endpoint({ urlPath: '/rows', sql: 'SELECT 1 AS x' })]);
    m.server.trustProxy = true;
    const server = await startServer(m, { port: 0, logger: silentLogger });
    try {
      const r = await fetch(server.url + REFRESH, { method: 'POST', headers: { 'X-Forwarded-For': '127.0.0.1' } });
      assert.equal(r.status, 403);
    } finally {
      await server.close();
    }
  });

  it('without a proxy, a loopback client may still refresh with no token configured', async () => {
    const server = await startServer(manifest([endpoint({ urlPath: '/rows', sql: 'SELECT 1 AS x' })]), { port: 0, logger: silentLogger });
    try {
      const r = await fetch(server.url + REFRESH, { method: 'POST' });
      assert.equal(r.status, 404, 'past the guard: the endpoint has no cache');
    } finally {
      await server.close();
    }
  });
});
