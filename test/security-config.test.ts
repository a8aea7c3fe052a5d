/**
 * Security config as written in flapi.yaml and endpoint files (flAPI's spelling), compiled
 * by the real compiler: secrets written as `{{env.X}}` stay references in the manifest,
 * inline passwords and keys are hashed, limits and TLS keys land in the server settings.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { compileProject } from '../cli/compile-project.js';
import { validate } from '../cli/commands/validate.js';
import { apiKeyHash, verifyPassword } from '../runtime/security/index.js';

const dirs: string[] = [];

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flapi-sec-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const ITEM_SQL = 'SELECT 1 AS id, CAST({{auth.username}} AS VARCHAR) AS who';

describe('security config', () => {
  it('compiles flAPI auth blocks; env secrets stay references, inline ones are hashed', async () => {
    const dir = project({
      'flapi.yaml': `project-name: sec
template:
  path: ./sqls
  environment-whitelist: ['^SEC_.*', '^FLAPI_ADMIN_TOKEN$']
connections:
  db:
    properties: {}
auth:
  enabled: true
  type: basic
  users:
    - username: admin
      password: '{{env.SEC_ADMIN_PASSWORD}}'
      roles: [admin]
    - username: plain
      password: hunter2
      roles: [reader]
rate_limit:
  enabled: true
  max: 5
  interval: 10s
  key: user-or-ip
  store:
    type: redis
    url: '{{env.SEC_REDIS_URL}}'
    prefix: 'sec:'
admin:
  token: '{{env.FLAPI_ADMIN_TOKEN}}'
  protect-metrics: true
cors:
  allow-origins: ['https://app.example.com']
  credentials: true
limits:
  max-body-size: 64kb
  request-timeout: 5s
  max-rows: 500
  headers-timeout: 2s
  max-query-params: 50
trust-proxy: true
mcp:
  enabled: true
  auth:
    enabled: true
    type: jwt
    jwt-secret: '{{env.SEC_MCP_SECRET}}'
`,
      'sqls/item.sql': ITEM_SQL,
      'sqls/item.yaml': `url-path: /item
template-source: item.sql
auth:
  enabled: true
  type: bearer
  jwt-secret: "{{env.SEC_JWT_SECRET}}"
  jwt-issuer: https://issuer.example.com
  jwt-audience: [item-api]
  role-claim-path: realm_access.roles
  roles: [reader]
rate-limit:
  max: 2
  interval: 1m
  key: user
`,
      'sqls/keys.sql': ITEM_SQL,
      'sqls/keys.yaml': `url-path: /keys
template-source: keys.sql
auth:
  type: api-key
  header: X-Service-Key
  keys:
    - name: inline
      key: inline-key-0123456789
    - name: hashed
      key-hash: ${apiKeyHash('hashed-key-0123456789')}
    - name: fromenv
      key: '{{env.SEC_SERVICE_KEY}}'
      roles: [svc]
`,
      'sqls/roles-only.sql': ITEM_SQL,
      'sqls/roles-only.yaml': 'url-path: /roles-only\ntemplate-source: roles-only.sql\nauth:\n  roles: [admin]\n',
    });
    const env = { SEC_ADMIN_PASSWORD: 'from-env', SEC_JWT_SECRET: 'jwt-secret-value', SEC_REDIS_URL: 'redis://:pw@127.0.0.1:6379', FLAPI_ADMIN_TOKEN: 'admin-token', SEC_MCP_SECRET: 'mcp-signing-secret' };
    const result = await compileProject({ dir, env });
    assert.ok(result.manifest, result.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`).join('\n'));
    const m = result.manifest;
    const text = JSON.stringify(m);
    for (const secret of Object.values(env).concat(['hunter2', 'inline-key-0123456789'])) {
      assert.equal(text.includes(secret), false, `the manifest must not contain ${secret}`);
    }
    assert.deepEqual(m.auth?.users?.[0], { username: 'admin', password: { env: 'SEC_ADMIN_PASSWORD' }, roles: ['admin'] });
    const plain = m.auth?.users?.[1]?.password;
    assert.ok(plain && 'value' in plain && plain.value.startsWith('$scrypt$'), 'inline plaintext is hashed');
    assert.equal(await verifyPassword(plain.value, 'hunter2'), true);
    const again = await compileProject({ dir, env });
    assert.deepEqual(again.manifest?.auth?.users?.[1]?.password, plain, 'compiled hashes are reproducible');

    assert.deepEqual(m.rateLimit, { enabled: true, max: 5, interval: 10, key: 'user-or-ip', store: { type: 'redis', url: { env: 'SEC_REDIS_URL' }, prefix: 'sec:' } });
    assert.deepEqual(m.admin, { protectMetrics: true, token: { env: 'FLAPI_ADMIN_TOKEN' } });
    assert.deepEqual(m.cors, { enabled: true, allowedOrigins: ['https://app.example.com'], credentials: true });
    assert.equal(m.server.bodyLimit, 64 * 1024);
    assert.equal(m.server.requestTimeoutMs, 5000);
    assert.equal(m.server.maxRows, 500);
    assert.equal(m.server.trustProxy, true);
    assert.deepEqual(m.server.httpLimits, { headersTimeoutMs: 2000, maxQueryParams: 50 });
    assert.equal(m.mcp?.auth?.type, 'bearer', 'type: jwt is bearer');
    assert.deepEqual(m.mcp?.auth?.jwt?.secret, { env: 'SEC_MCP_SECRET' });

    const byPath = Object.fromEntries(m.endpoints.map((e) => [e.urlPath, e]));
    const item = byPath['/item']!;
    assert.deepEqual(item.auth, {
      enabled: true,
      type: 'bearer',
      roles: ['reader'],
      jwt: {
        secret: { env: 'SEC_JWT_SECRET' },
        issuer: 'https://issuer.example.com',
        audience: ['item-api'],
        algorithms: ['HS256', 'HS384', 'HS512'],
        clockSkewSeconds: 60,
        requireExpiry: true,
        claims: { username: 'sub', email: 'email', roles: 'realm_access.roles' },
      },
    });
    assert.deepEqual(item.rateLimit, { enabled: true, max: 2, interval: 60, key: 'user' });
    assert.deepEqual(byPath['/keys']!.auth?.apiKey, {
      header: 'X-Service-Key',
      keys: [
        { name: 'inline', key: { value: apiKeyHash('inline-key-0123456789') }, roles: [] },
        { name: 'hashed', key: { value: apiKeyHash('hashed-key-0123456789') }, roles: [] },
        { name: 'fromenv', key: { env: 'SEC_SERVICE_KEY' }, roles: ['svc'] },
      ],
    });
    assert.deepEqual(byPath['/roles-only']!.auth, { enabled: true, type: 'basic', roles: ['admin'] }, 'a roles-only block narrows the global method');
  });

  it('refuses an empty username or password, a bearer block without a key, and alg none', async () => {
    const dir = project({
      'flapi.yaml': 'project-name: bad\ntemplate:\n  path: ./sqls\nconnections:\n  db:\n    properties: {}\nauth:\n  type: basic\n  users:\n    - username: someone\n      password: ""\n',
      'sqls/item.sql': ITEM_SQL,
      'sqls/item.yaml': 'url-path: /item\ntemplate-source: item.sql\nauth:\n  type: bearer\n  jwt-algorithms: [none]\n',
    });
    const result = await compileProject({ dir, env: {} });
    const messages = result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    assert.ok(messages.some((m) => m.includes('needs a non-empty `password`')), messages.join('\n'));
    assert.ok(messages.some((m) => m.includes('bearer auth needs `jwt-secret`')), messages.join('\n'));
    assert.ok(messages.some((m) => m.includes('`none` is never an accepted JWT algorithm')), messages.join('\n'));
    assert.equal(result.manifest, undefined);
  });

  it('audits: writes without auth, weak passwords, inline secrets, wildcard CORS with credentials, open MCP tools, templates outside the project', async () => {
    const dir = project({
      'app/flapi.yaml': `project-name: audit
template:
  path: ./sqls
  environment-whitelist: ['^AUDIT_.*']
connections:
  db:
    init: CREATE TABLE t AS SELECT 1 AS id
    properties: {}
cors:
  allowed-origins: ['*']
  credentials: true
admin:
  token: plain-admin-token
`,
      'outside.sql': 'SELECT 1 AS id',
      'app/sqls/write.sql': 'INSERT INTO t VALUES (2)',
      'app/sqls/write.yaml': 'url-path: /write\nmethod: POST\ntemplate-source: write.sql\n',
      'app/sqls/tool.sql': 'SELECT 1 AS id',
      'app/sqls/tool.yaml': 'url-path: /tool\ntemplate-source: ../../outside.sql\nmcp-tool:\n  name: open_tool\n  description: Anyone may call this\n',
      'app/sqls/users.sql': 'SELECT 1 AS id',
      'app/sqls/users.yaml': `url-path: /users
template-source: users.sql
auth:
  type: basic
  users:
    - username: plain
      password: hunter2
    - username: md5
      password: 5f4dcc3b5aa765d61d8327deb882cf99
    - username: unset
      password: '{{env.AUDIT_UNSET_PASSWORD}}'
`,
      'app/sqls/jwt.sql': 'SELECT 1 AS id',
      'app/sqls/jwt.yaml': 'url-path: /jwt\ntemplate-source: jwt.sql\nauth:\n  type: bearer\n  jwt-secret: inline-jwt-secret\n',
    });
    const result = await compileProject({ dir: join(dir, 'app'), env: {} });
    const found = (code: string) => result.diagnostics.filter((d) => d.code === code);
    assert.equal(found('write-without-auth').length, 1);
    assert.match(found('write-without-auth')[0]!.file, /write\.yaml$/);
    assert.deepEqual(found('weak-password').map((d) => d.message.split(';')[0]), ['plaintext password for user `plain`', 'MD5-hashed password for user `md5`']);
    assert.deepEqual(found('inline-secret').map((d) => d.message.split(' is ')[0]).sort(), ['the JWT secret', 'the admin token']);
    assert.equal(found('cors-wildcard-credentials').length, 1);
    assert.equal(found('mcp-tool-without-auth').length, 1);
    assert.equal(found('template-outside-project').length, 1);
    assert.equal(found('secret-unset').length, 1, 'an unset env secret is reported');
    assert.ok(result.diagnostics.filter((d) => d.security).every((d) => d.severity === 'warning'));
    assert.ok(result.manifest, 'warnings only');

    let out = '';
    const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += t) };
    assert.equal(await validate(join(dir, 'app'), {}, io), 0);
    assert.equal(await validate(join(dir, 'app'), { strict: true }, io), 1, '--strict fails on security findings');
    assert.match(out, /error {2}plaintext password for user `plain`/);
  });
});

