/**
 * MCP over Streamable HTTP with the real SDK client against a real server on a random
 * port, over the `mcp-shop` fixture project compiled by the real compiler. Expected rows
 * come from DuckDB itself, through the same database the server uses.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Context, Next } from 'koa';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { compileProject } from '../cli/compile-project.js';
import { createApp, silentLogger, type FlapiApp, type Manifest } from '../runtime/index.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/mcp-shop', import.meta.url));

/**
 * Test-only stand-in for the auth middleware: `x-test-user` / `x-test-roles` headers
 * become the `ctx.state.auth` that MCP reads.
 */
async function headerAuth(ctx: Context, next: Next): Promise<void> {
  const user = ctx.get('x-test-user');
  if (user !== '') {
    const roles = ctx.get('x-test-roles').split(',').map((r) => r.trim()).filter((r) => r !== '');
    ctx.state['auth'] = { authenticated: true, username: user, roles };
  }
  await next();
}

async function listen(flapi: FlapiApp): Promise<{ server: Server; base: string }> {
  // Runs before the app's own middleware, where a real auth middleware would sit.
  flapi.app.middleware.unshift(headerAuth);
  const server = createServer(flapi.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function text(result: CallToolResult, index = 0): string {
  const item = result.content[index];
  assert.ok(item && item.type === 'text', `content[${index}] is text`);
  return item.text;
}

describe('MCP tools, resources and prompts', () => {
  let manifest: Manifest;
  let flapi: FlapiApp;
  let server: Server;
  let base: string;
  const clients: Client[] = [];

  async function connect(headers: Record<string, string> = {}, path = '/mcp'): Promise<Client> {
    const client = new Client({ name: 'mcp-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(path, base), { requestInit: { headers } }));
    clients.push(client);
    return client;
  }

  async function expectedRows(sql: string): Promise<Record<string, unknown>[]> {
    return (await flapi.database.query(sql)).rows;
  }

  before(async () => {
    const compiled = await compileProject({ dir: FIXTURE });
    assert.ok(compiled.manifest, compiled.diagnostics.map((d) => d.message).join('\n'));
    manifest = compiled.manifest;
    flapi = await createApp(manifest, { logger: silentLogger, poolSize: 2 });
    ({ server, base } = await listen(flapi));
  });

  after(async () => {
    for (const client of clients) await client.close();
    if (server) await close(server);
    if (flapi) await flapi.close();
  });

  it('lists tools with input schemas typed from the validators', async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['customer_emails', 'list_orders', 'parse_quantity']);
    const orders = tools.find((t) => t.name === 'list_orders')!;
    assert.match(orders.description ?? '', /Orders with one status/);
    const props = orders.inputSchema.properties as Record<string, Record<string, unknown>>;
    assert.deepEqual(orders.inputSchema.required, ['status']);
    assert.deepEqual(props['status'], { type: 'string', enum: ['open', 'shipped', 'cancelled'], description: 'Order status' });
    assert.equal(props['sku']!['type'], 'string');
    assert.equal(props['sku']!['pattern'], '^(?:SKU-[0-9]{3})$');
    assert.equal(props['min_id']!['type'], 'integer');
    assert.equal(props['min_id']!['minimum'], 1);
    assert.equal(props['min_id']!['maximum'], 1000);
    assert.equal(props['since']!['format'], 'date');
    // The endpoint pages, so the tool takes limit and offset like the HTTP route.
    assert.equal(props['limit']!['type'], 'integer');
    assert.equal(props['limit']!['maximum'], manifest.server.maxLimit);
    assert.equal(props['offset']!['minimum'], 0);
    const quantity = tools.find((t) => t.name === 'parse_quantity')!;
    assert.equal((quantity.inputSchema.properties as Record<string, Record<string, unknown>>)['text']!['maxLength'], 20);
  });

  it('calls a tool and returns the rows the query gives', async () => {
    const client = await connect();
    const result = (await client.callTool({ name: 'list_orders', arguments: { status: 'shipped', min_id: 5, since: '2024-01-08', limit: 2 } })) as CallToolResult;
    assert.notEqual(result.isError, true, text(result));
    const rows = JSON.parse(text(result)) as Record<string, unknown>[];
    const expected = await expectedRows(
      "SELECT CAST(id AS INTEGER) AS id, status, sku, amount, strftime(day, '%Y-%m-%d') AS day FROM orders WHERE status = 'shipped' AND id >= 5 AND day >= DATE '2024-01-08' ORDER BY id",
    );
    assert.ok(expected.length > 2, 'the fixture has more matching rows than one page');
    assert.deepEqual(rows, expected.slice(0, 2));
    assert.deepEqual((result.structuredContent as { rows: unknown }).rows, rows);
    assert.match(text(result, 1), /offset 2/);

    const next = (await client.callTool({ name: 'list_orders', arguments: { status: 'shipped', min_id: 5, since: '2024-01-08', limit: 2, offset: 2 } })) as CallToolResult;
    assert.deepEqual(JSON.parse(text(next)), expected.slice(2, 4));
  });

  it('validates arguments like HTTP and names every failing field in an isError result', async () => {
    const client = await connect();
    const bad = (await client.callTool({ name: 'list_orders', arguments: { status: 'lost', min_id: 0, sku: "SKU-001' OR 1=1 --" } })) as CallToolResult;
    assert.equal(bad.isError, true);
    const message = text(bad);
    assert.match(message, /^Invalid arguments/);
    assert.match(message, /status: must be one of/);
    assert.match(message, /min_id: must be between 1 and 1000/);
    assert.match(message, /sku: /);
    const fields = (bad.structuredContent as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    assert.deepEqual(fields, ['min_id', 'sku', 'status']);

    const missing = (await client.callTool({ name: 'list_orders', arguments: {} })) as CallToolResult;
    assert.equal(missing.isError, true);
    assert.match(text(missing), /status: is required/);

    const notScalar = (await client.callTool({ name: 'list_orders', arguments: { status: ['open'] } })) as CallToolResult;
    assert.equal(notScalar.isError, true);
    assert.match(text(notScalar), /status: must be a single value/);
    assert.doesNotMatch(text(notScalar), /is required/);
  });

  it('turns a query failure into a readable isError result, not a protocol error', async () => {
    const client = await connect();
    const ok = (await client.callTool({ name: 'parse_quantity', arguments: { text: '17' } })) as CallToolResult;
    assert.deepEqual(JSON.parse(text(ok)), [{ quantity: 17 }]);
    const failed = (await client.callTool({ name: 'parse_quantity', arguments: { text: 'seventeen' } })) as CallToolResult;
    assert.equal(failed.isError, true);
    assert.match(text(failed), /does not fit the type/);
    const unknown = (await client.callTool({ name: 'drop_everything', arguments: {} })) as CallToolResult;
    assert.equal(unknown.isError, true);
    assert.match(text(unknown), /Unknown tool drop_everything/);
  });

  it('refuses a role-restricted tool to a caller without the role', async () => {
    const anonymous = await connect();
    const refused = (await anonymous.callTool({ name: 'customer_emails', arguments: {} })) as CallToolResult;
    assert.equal(refused.isError, true);
    assert.match(text(refused), /requires role "staff"/);
    assert.doesNotMatch(text(refused), /@example\.com/);

    const guest = await connect({ 'x-test-user': 'gina', 'x-test-roles': 'guest' });
    const alsoRefused = (await guest.callTool({ name: 'customer_emails', arguments: {} })) as CallToolResult;
    assert.equal(alsoRefused.isError, true);
    assert.match(text(alsoRefused), /requires role "staff"; gina has guest/);
  });

  it('serves the restricted tool to the role, at most max-rows rows with redacted columns', async () => {
    const staff = await connect({ 'x-test-user': 'sam', 'x-test-roles': 'guest, staff' });
    const result = (await staff.callTool({ name: 'customer_emails', arguments: {} })) as CallToolResult;
    assert.notEqual(result.isError, true, text(result));
    const rows = JSON.parse(text(result)) as Record<string, unknown>[];
    const expected = await expectedRows("SELECT CAST(id AS INTEGER) AS id, email, '<redacted>' AS amount FROM orders ORDER BY id LIMIT 5");
    assert.deepEqual(rows, expected);
    assert.match(text(result, 1), /first 5 rows/);
    assert.equal((result.structuredContent as { truncated: boolean }).truncated, true);
  });

  it('lists and reads resources', async () => {
    const client = await connect();
    const { resources } = await client.listResources();
    assert.deepEqual(resources.map((r) => [r.name, r.uri, r.mimeType]), [['order_statuses', 'flapi://order_statuses', 'application/json']]);
    const read = await client.readResource({ uri: 'flapi://order_statuses' });
    const content = read.contents[0]!;
    assert.equal(content.mimeType, 'application/json');
    assert.ok('text' in content);
    const expected = await expectedRows('SELECT status, CAST(count(*) AS INTEGER) AS orders FROM orders GROUP BY status ORDER BY status');
    assert.deepEqual(JSON.parse(content.text as string), expected);
    await assert.rejects(client.readResource({ uri: 'flapi://nothing' }), /Resource not found/);
  });

  it('lists prompts and fills one from its arguments as plain text', async () => {
    const client = await connect();
    const { prompts } = await client.listPrompts();
    assert.equal(prompts.length, 1);
    assert.equal(prompts[0]!.name, 'order_summary');
    assert.deepEqual(prompts[0]!.arguments?.map((a) => a.name), ['status', 'sku']);
    const prompt = await client.getPrompt({ name: 'order_summary', arguments: { status: 'open', sku: "SKU-001 & <b>'s" } });
    const message = prompt.messages[0]!;
    assert.equal(message.role, 'user');
    assert.deepEqual(message.content, {
      type: 'text',
      text: "Summarise the open orders of the shop for product SKU-001 & <b>'s. Use the list_orders tool.",
    });
    const without = await client.getPrompt({ name: 'order_summary', arguments: { status: 'shipped' } });
    assert.equal((without.messages[0]!.content as { text: string }).text, 'Summarise the shipped orders of the shop. Use the list_orders tool.');
  });

  it("answers at flAPI's /mcp/jsonrpc too, and refuses GET on the stateless endpoint", async () => {
    const client = await connect({}, '/mcp/jsonrpc');
    const { tools } = await client.listTools();
    assert.equal(tools.length, 3);
    const response = await fetch(new URL('/mcp', base), { headers: { accept: 'text/event-stream' } });
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST');
    await response.body?.cancel();
  });

  it('is off when the manifest says mcp.enabled: false', async () => {
    const off = await createApp({ ...manifest, mcp: { enabled: false, path: '/mcp' } }, { database: flapi.database, logger: silentLogger });
    const { server: offServer, base: offBase } = await listen(off);
    try {
      const response = await fetch(new URL('/mcp', offBase), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      assert.equal(response.status, 404);
      await response.body?.cancel();
    } finally {
      await close(offServer);
      await off.close();
    }
  });
});
