/**
 * examples/tenants end to end, compiled by the real compiler: row-level security through
 * one endpoint for two tenants, over HTTP and as an MCP tool behind the same auth.
 */
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compileProject } from '../cli/compile-project.js';
import { silentLogger, startServer, type HttpServerHandle } from '../runtime/index.js';
import { signToken } from './support/jwt-tokens.js';

const EXAMPLE = fileURLToPath(new URL('../examples/tenants', import.meta.url));
const ISSUER = 'https://login.tenants.example';

describe('examples/tenants', () => {
  let server: HttpServerHandle;
  const tokens: Record<string, string> = {};

  before(async () => {
    const compiled = await compileProject({ dir: EXAMPLE, env: {} });
    assert.ok(compiled.manifest, compiled.diagnostics.map((d) => d.message).join('\n'));
    assert.deepEqual(compiled.diagnostics.filter((d) => d.security), [], 'the example passes validate --strict');
    server = await startServer(compiled.manifest, { port: 0, logger: silentLogger, env: {} });
    const key = createPrivateKey(readFileSync(join(EXAMPLE, 'keys', 'demo-private.pem')));
    for (const [user, roles] of [['alice', ['orders.read']], ['bob', ['orders.read']], ['dave', []]] as const) {
      tokens[user] = await signToken(key, { roles: [...roles] }, { alg: 'RS256', subject: user, issuer: ISSUER, audience: 'tenants-api' });
    }
  });
  after(() => server.close());

  async function orders(user: string): Promise<number[]> {
    const response = await fetch(`${server.url}/orders`, { headers: { Authorization: `Bearer ${tokens[user]}` } });
    assert.equal(response.status, 200);
    return ((await response.json()) as { data: { id: number }[] }).data.map((r) => r.id);
  }

  async function mcp(user: string | undefined, method: string, params: unknown) {
    const response = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { ...(user ? { Authorization: `Bearer ${tokens[user]}` } : {}), 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    return { status: response.status, body: (await response.json().catch(() => undefined)) as { result?: { isError?: boolean; content: { text: string }[] } } | undefined };
  }

  it('gives two users of two tenants their own rows through the same endpoint', async () => {
    assert.deepEqual(await orders('alice'), [1, 3, 4, 7]);
    assert.deepEqual(await orders('bob'), [2, 5, 8, 10]);
    // Again, now from the response cache: still each their own.
    assert.deepEqual(await orders('alice'), [1, 3, 4, 7]);
    assert.deepEqual(await orders('bob'), [2, 5, 8, 10]);
  });

  it('protects /mcp with the same auth, and the tool filters by the caller', async () => {
    assert.equal((await mcp(undefined, 'tools/list', {})).status, 401);
    const alice = await mcp('alice', 'tools/call', { name: 'tenant_orders', arguments: {} });
    assert.equal(alice.status, 200);
    assert.deepEqual((JSON.parse(alice.body!.result!.content[0]!.text) as { id: number }[]).map((r) => r.id), [1, 3, 4, 7]);
    const bob = await mcp('bob', 'tools/call', { name: 'tenant_orders', arguments: { status: 'open' } });
    assert.deepEqual((JSON.parse(bob.body!.result!.content[0]!.text) as { id: number }[]).map((r) => r.id), [2, 10]);
    const dave = await mcp('dave', 'tools/call', { name: 'tenant_orders', arguments: {} });
    assert.equal(dave.body!.result!.isError, true);
    assert.match(dave.body!.result!.content[0]!.text, /requires role "orders\.read"/);
  });
});
