/**
 * Authentication end to end: a real server on a random port per method (basic, bearer
 * HS256/RS256, API key), 401 with `WWW-Authenticate`, 403 for a missing role, `auth.*`
 * bound in templates, the response cache keyed by the verified identity, secrets read
 * from the environment at start.
 */
import assert from 'node:assert/strict';
import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { exportSPKI, generateKeyPair } from 'jose';
import type { AuthSpec, EndpointSpec, JwtSpec, Manifest } from '../runtime/manifest.js';
import { createApp, silentLogger, startServer, type HttpServerHandle } from '../runtime/index.js';
import { hashPassword, verifyPassword, apiKeyHash } from '../runtime/security/index.js';
import { endpoint, manifest } from './serve-fixture.js';
import { hmacToken, signToken, unsignedToken } from './support/jwt-tokens.js';

const CLAIMS = { username: 'sub', email: 'email', roles: 'roles' };

function jwtSpec(partial: Partial<JwtSpec>): JwtSpec {
  return { algorithms: ['HS256'], audience: [], clockSkewSeconds: 30, requireExpiry: true, claims: CLAIMS, ...partial };
}

/** `/whoami` shows what the template sees of the caller; `/mine` filters rows by it. */
function endpoints(auth?: AuthSpec): EndpointSpec[] {
  return [
    endpoint({
      urlPath: '/whoami',
      sql: 'SELECT {{auth.username}} AS username, {{auth.roles}} AS roles, {{auth.type}} AS type, {{auth.authenticated}} AS authenticated, {{auth.email}} AS email',
      ...(auth ? { auth } : {}),
    }),
    endpoint({
      urlPath: '/mine',
      // Row-level security: each origin airport is a "tenant"; the user's role names it.
      sql: "SELECT id, origin FROM flights WHERE origin IN (SELECT unnest(string_split({{auth.roles}}, ','))) ORDER BY id LIMIT 3",
      ...(auth ? { auth } : {}),
    }),
    endpoint({ urlPath: '/open', sql: 'SELECT 1 AS one', auth: { enabled: false, type: 'basic' } }),
    endpoint({ urlPath: '/staff', sql: 'SELECT 2 AS two', auth: { enabled: true, type: 'basic', roles: ['staff'] } }),
  ];
}

async function serve(m: Manifest, env: Record<string, string> = {}): Promise<HttpServerHandle> {
  return startServer(m, { port: 0, logger: silentLogger, env });
}

async function get(base: string, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(base + path, { headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as unknown };
}

function basic(user: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

describe('password hashes', () => {
  it('verifies scrypt, PBKDF2 (passlib), bcrypt, MD5 and plaintext entries, and only the right password', async () => {
    const scrypt = await hashPassword('s3cret', { cost: 10 });
    assert.match(scrypt, /^\$scrypt\$ln=10,r=8,p=1\$/);
    const salt = randomBytes(16);
    const ab64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '').replace(/\+/g, '.');
    const pbkdf2 = `$pbkdf2-sha256$1000$${ab64(salt)}$${ab64(pbkdf2Sync('s3cret', salt, 1000, 32, 'sha256'))}`;
    const bcryptHash = bcrypt.hashSync('s3cret', 4);
    const md5 = createHash('md5').update('s3cret').digest('hex');
    for (const stored of [scrypt, pbkdf2, bcryptHash, md5, 's3cret']) {
      assert.equal(await verifyPassword(stored, 's3cret'), true, stored);
      assert.equal(await verifyPassword(stored, 's3cret!'), false, stored);
      assert.equal(await verifyPassword(stored, ''), false, stored);
    }
  });
});

describe('basic auth', () => {
  let server: HttpServerHandle;
  before(async () => {
    const auth: AuthSpec = {
      enabled: true,
      type: 'basic',
      users: [
        { username: 'alice', password: { value: await hashPassword('alice-pw', { cost: 10 }) }, roles: ['JFK', 'staff'], email: 'alice@example.com' },
        { username: 'bob', password: { value: bcrypt.hashSync('bob-pw', 4) }, roles: ['LAX'] },
        { username: 'legacy', password: { value: createHash('md5').update('old').digest('hex') }, roles: [] },
        { username: 'envuser', password: { env: 'ENVUSER_PASSWORD' }, roles: ['SFO'] },
      ],
    };
    const m = manifest(endpoints());
    m.auth = auth;
    server = await serve(m, { ENVUSER_PASSWORD: 'from-env' });
  });
  after(() => server.close());

  it('answers 401 with a Basic challenge without credentials or with wrong ones', async () => {
    for (const headers of [{}, basic('alice', 'wrong'), basic('mallory', 'alice-pw'), { Authorization: 'Basic !!!' }, basic('alice', '')]) {
      const r = await get(server.url, '/whoami', headers);
      assert.equal(r.status, 401, JSON.stringify(headers));
      assert.match(r.headers.get('www-authenticate') ?? '', /^Basic realm="flapi"/);
      assert.doesNotMatch(r.text, /alice-pw|\$scrypt/);
    }
  });

  it('binds the verified caller as auth.* and filters rows by it', async () => {
    const alice = await get(server.url, '/whoami', basic('alice', 'alice-pw'));
    assert.equal(alice.status, 200, alice.text);
    assert.deepEqual(alice.json(), [{ username: 'alice', roles: 'JFK,staff', type: 'basic', authenticated: true, email: 'alice@example.com' }]);
    const aliceRows = (await get(server.url, '/mine', basic('alice', 'alice-pw'))).json() as { origin: string }[];
    const bobRows = (await get(server.url, '/mine', basic('bob', 'bob-pw'))).json() as { origin: string }[];
    assert.deepEqual(aliceRows.map((r) => r.origin), ['JFK', 'JFK', 'JFK']);
    assert.deepEqual(bobRows.map((r) => r.origin), ['LAX', 'LAX', 'LAX']);
    assert.equal((await get(server.url, '/whoami', basic('legacy', 'old'))).status, 200, 'flAPI MD5 entries still verify');
    assert.equal((await get(server.url, '/whoami', basic('envuser', 'from-env'))).status, 200, 'password from the environment');
  });

  it('answers 403 when the role is missing and leaves an endpoint with enabled: false open', async () => {
    assert.equal((await get(server.url, '/staff', basic('bob', 'bob-pw'))).status, 403);
    assert.equal((await get(server.url, '/staff', basic('alice', 'alice-pw'))).status, 200);
    assert.equal((await get(server.url, '/staff')).status, 401);
    const open = await get(server.url, '/open');
    assert.equal(open.status, 200);
    assert.deepEqual(open.json(), [{ one: 1 }]);
  });
});

describe('bearer JWT', () => {
  const secret = 'a-long-shared-secret-for-hs256-tokens';
  const key = new TextEncoder().encode(secret);
  let server: HttpServerHandle;
  let rsaServer: HttpServerHandle;
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let pem: string;

  before(async () => {
    const m = manifest(endpoints());
    m.auth = { enabled: true, type: 'bearer', jwt: jwtSpec({ secret: { env: 'TEST_JWT_SECRET' }, issuer: 'https://issuer.test', audience: ['flapi-api'] }) };
    m.server.responseCacheBytes = 1024 * 1024;
    server = await serve(m, { TEST_JWT_SECRET: secret });
    rsa = await generateKeyPair('RS256');
    pem = await exportSPKI(rsa.publicKey);
    const r = manifest(endpoints());
    r.auth = { enabled: true, type: 'bearer', jwt: jwtSpec({ publicKey: { value: pem }, algorithms: ['RS256', 'HS256'] }) };
    rsaServer = await serve(r);
  });
  after(async () => {
    await server.close();
    await rsaServer.close();
  });

  const good = { issuer: 'https://issuer.test', audience: 'flapi-api', subject: 'alice' };

  it('accepts a valid token and maps sub, roles and email', async () => {
    const token = await signToken(key, { roles: ['LAX'], email: 'a@x.test' }, good);
    const r = await get(server.url, '/whoami', bearer(token));
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json(), [{ username: 'alice', roles: 'LAX', type: 'bearer', authenticated: true, email: 'a@x.test' }]);
  });

  it('refuses forged, expired, wrong-audience, wrong-issuer, alg none and exp-less tokens with 401 invalid_token', async () => {
    const cases: [string, string][] = [
      ['forged', await signToken(new TextEncoder().encode('not-the-secret-at-all-really'), {}, good)],
      ['expired', await signToken(key, {}, { ...good, expiresIn: -120 })],
      ['wrong audience', await signToken(key, {}, { ...good, audience: 'other-api' })],
      ['wrong issuer', await signToken(key, {}, { ...good, issuer: 'https://evil.test' })],
      ['alg none', unsignedToken({ sub: 'alice', iss: good.issuer, aud: good.audience })],
      ['no exp', await signToken(key, {}, { ...good, expiresIn: null })],
      ['garbage', 'not.a.jwt'],
    ];
    for (const [name, token] of cases) {
      const r = await get(server.url, '/whoami', bearer(token));
      assert.equal(r.status, 401, `${name}: ${r.text}`);
      assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer realm="flapi", error="invalid_token", error_description="/, name);
    }
    const missing = await get(server.url, '/whoami');
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="flapi"');
  });

  it('tolerates clock skew within the configured seconds', async () => {
    const token = await signToken(key, {}, { ...good, expiresIn: -10 });
    assert.equal((await get(server.url, '/whoami', bearer(token))).status, 200);
  });

  it('keys the response cache by the verified identity; an expired token is never answered from cache', async () => {
    const aliceToken = await signToken(key, { roles: ['JFK'] }, good);
    const bobToken = await signToken(key, { roles: ['LAX'] }, { ...good, subject: 'bob' });
    const first = await get(server.url, '/mine', bearer(aliceToken));
    const again = await get(server.url, '/mine', bearer(await signToken(key, { roles: ['JFK'] }, good)));
    assert.equal(first.headers.get('x-cache'), 'MISS');
    assert.equal(again.headers.get('x-cache'), 'HIT', 'a new token for the same identity shares the entry');
    assert.equal(first.headers.get('cache-control'), 'private');
    const bob = await get(server.url, '/mine', bearer(bobToken));
    assert.equal(bob.headers.get('x-cache'), 'MISS');
    assert.deepEqual((bob.json() as { origin: string }[]).map((r) => r.origin), ['LAX', 'LAX', 'LAX']);
    const expired = await get(server.url, '/mine', bearer(await signToken(key, { roles: ['JFK'] }, { ...good, expiresIn: -3600 })));
    assert.equal(expired.status, 401);
    assert.equal(expired.headers.get('x-cache'), null);
  });

  it('verifies RS256 with the public key and refuses a token signed with that public key as an HMAC secret', async () => {
    const token = await signToken(rsa.privateKey, { roles: ['SFO'] }, { alg: 'RS256', subject: 'carol' });
    const ok = await get(rsaServer.url, '/whoami', bearer(token));
    assert.equal(ok.status, 200, ok.text);
    assert.equal((ok.json() as { username: string }[])[0]!.username, 'carol');
    const confused = hmacToken(pem, { sub: 'mallory', roles: ['SFO'] });
    const r = await get(rsaServer.url, '/whoami', bearer(confused));
    assert.equal(r.status, 401, r.text);
  });
});

describe('API keys', () => {
  let server: HttpServerHandle;
  before(async () => {
    const m = manifest(endpoints());
    m.auth = {
      enabled: true,
      type: 'api-key',
      apiKey: {
        header: 'X-Service-Key',
        keys: [
          { name: 'reporting', key: { value: apiKeyHash('key-one-0123456789') }, roles: ['JFK'] },
          { name: 'ci', key: { env: 'CI_API_KEY' }, roles: ['staff'] },
        ],
      },
    };
    server = await serve(m, { CI_API_KEY: 'key-two-from-env' });
  });
  after(() => server.close());

  it('accepts a known key in the configured header, refuses others', async () => {
    const r = await get(server.url, '/whoami', { 'X-Service-Key': 'key-one-0123456789' });
    assert.equal(r.status, 200, r.text);
    assert.equal((r.json() as { username: string }[])[0]!.username, 'reporting');
    assert.equal((await get(server.url, '/staff', { 'X-Service-Key': 'key-two-from-env' })).status, 200);
    assert.equal((await get(server.url, '/staff', { 'X-Service-Key': 'key-one-0123456789' })).status, 403);
    const wrong = await get(server.url, '/whoami', { 'X-Service-Key': 'key-one-0123456788' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get('www-authenticate') ?? '', /ApiKey realm="flapi", header="X-Service-Key"/);
    assert.equal((await get(server.url, '/whoami', { 'X-API-Key': 'key-one-0123456789' })).status, 401, 'only the configured header');
  });
});

describe('secrets from the environment', () => {
  it('refuse to start when a referenced variable is unset or empty', async () => {
    const m = manifest(endpoints());
    m.auth = { enabled: true, type: 'bearer', jwt: jwtSpec({ secret: { env: 'UNSET_JWT_SECRET' } }) };
    await assert.rejects(createApp(m, { logger: silentLogger, env: {} }), /UNSET_JWT_SECRET/);
    await assert.rejects(createApp(m, { logger: silentLogger, env: { UNSET_JWT_SECRET: '' } }), /UNSET_JWT_SECRET/);
  });
});
