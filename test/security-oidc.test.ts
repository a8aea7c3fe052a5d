/**
 * OIDC against a local identity provider on loopback: a discovery document and a JWKS
 * that the test can rotate. Keys are fetched on the first token, cached, and fetched
 * again when a token names a key id the cache does not know.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { OidcSpec } from '../runtime/manifest.js';
import { silentLogger, startServer, type HttpServerHandle } from '../runtime/index.js';
import { endpoint, manifest } from './serve-fixture.js';
import { signToken } from './support/jwt-tokens.js';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

describe('OIDC via discovery and JWKS', () => {
  let idp: Server;
  let issuer: string;
  let published: JWK[] = [];
  let fetches = 0;
  let server: HttpServerHandle;
  let down: HttpServerHandle;
  let key1: KeyPair;
  let key2: KeyPair;

  const oidc = (partial: Partial<OidcSpec>): OidcSpec => ({
    audience: [],
    algorithms: ['RS256', 'ES256'],
    clockSkewSeconds: 30,
    requireExpiry: true,
    claims: { username: 'preferred_username', email: 'email', roles: 'realm_access.roles' },
    jwksCacheSeconds: 1,
    ...partial,
  });

  before(async () => {
    key1 = await generateKeyPair('RS256');
    key2 = await generateKeyPair('ES256');
    published = [{ ...(await exportJWK(key1.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }];
    idp = createServer((req, res) => {
      if (req.url === '/realms/test/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/protocol/openid-connect/certs` }));
      } else if (req.url === '/realms/test/protocol/openid-connect/certs') {
        fetches++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: published }));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/realms/test`;

    const m = manifest([endpoint({ urlPath: '/whoami', sql: 'SELECT {{auth.username}} AS username, {{auth.roles}} AS roles, {{auth.type}} AS type' })]);
    m.auth = { enabled: true, type: 'oidc', oidc: oidc({ issuerUrl: issuer, clientId: 'flapi-api' }) };
    server = await startServer(m, { port: 0, logger: silentLogger });
    const d = manifest([endpoint({ urlPath: '/whoami', sql: 'SELECT 1 AS one' })]);
    d.auth = { enabled: true, type: 'oidc', oidc: oidc({ jwksUrl: 'http://127.0.0.1:9/certs' }) };
    down = await startServer(d, { port: 0, logger: silentLogger });
  });
  after(async () => {
    await server.close();
    await down.close();
    await new Promise((resolve) => idp.close(resolve));
  });

  const claims = { preferred_username: 'dana', realm_access: { roles: ['reader', 'JFK'] } };

  async function call(token: string) {
    const response = await fetch(`${server.url}/whoami`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: response.status, body: await response.text(), challenge: response.headers.get('www-authenticate') };
  }

  it('starts without contacting the provider, then verifies a token with the discovered keys', async () => {
    assert.equal(fetches, 0);
    const token = await signToken(key1.privateKey, claims, { alg: 'RS256', kid: 'k1', issuer, audience: 'flapi-api' });
    const r = await call(token);
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(JSON.parse(r.body), [{ username: 'dana', roles: 'reader,JFK', type: 'oidc' }]);
    assert.equal(fetches, 1);
    await call(token);
    assert.equal(fetches, 1, 'keys are cached');
  });

  it('refuses a wrong audience, a wrong issuer and an unknown key', async () => {
    const wrongAud = await signToken(key1.privateKey, claims, { alg: 'RS256', kid: 'k1', issuer, audience: 'someone-else' });
    const wrongIss = await signToken(key1.privateKey, claims, { alg: 'RS256', kid: 'k1', issuer: 'http://127.0.0.1:1/evil', audience: 'flapi-api' });
    const unknown = await signToken(key2.privateKey, claims, { alg: 'ES256', kid: 'k-unknown', issuer, audience: 'flapi-api' });
    for (const token of [wrongAud, wrongIss, unknown]) {
      const r = await call(token);
      assert.equal(r.status, 401, r.body);
      assert.match(r.challenge ?? '', /error="invalid_token"/);
    }
  });

  it('picks up a rotated key without a restart', async () => {
    published = [{ ...(await exportJWK(key2.publicKey)), kid: 'k2', alg: 'ES256', use: 'sig' }];
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const token = await signToken(key2.privateKey, claims, { alg: 'ES256', kid: 'k2', issuer, audience: 'flapi-api' });
    const r = await call(token);
    assert.equal(r.status, 200, r.body);
    const old = await signToken(key1.privateKey, claims, { alg: 'RS256', kid: 'k1', issuer, audience: 'flapi-api' });
    assert.equal((await call(old)).status, 401, 'the retired key no longer verifies');
  });

  it('answers 503 when the provider cannot be reached, and keeps serving', async () => {
    const token = await signToken(key1.privateKey, claims, { alg: 'RS256', kid: 'k1', issuer, audience: 'flapi-api' });
    const response = await fetch(`${down.url}/whoami`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(response.status, 503, await response.text());
    assert.equal(response.headers.get('retry-after'), '5');
    assert.equal((await fetch(`${down.url}/whoami`)).status, 401);
  });
});
