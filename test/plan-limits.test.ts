/**
 * Every surface gets the same limits from the endpoint plan: row cap and timeout for MCP
 * tools and resources as for HTTP; the request timeout up to the first byte in every
 * format; slow readers cut off; a client that leaves interrupts its query.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startServer, silentLogger, type HttpServerHandle } from '../runtime/index.js';
import { endpoint, manifest } from './serve-fixture.js';

const BIG = 'SELECT i AS id, i * 2 AS twice, repeat(\'x\', 40) AS pad FROM range(3000000) t(i)';
const SLOW = 'SELECT count(*) AS n FROM range(5000000000) a';

async function mcpClient(base: string): Promise<Client> {
  const client = new Client({ name: 'limits-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', base)));
  return client;
}

describe('limits on every surface', () => {
  const capped = manifest([
    endpoint({ urlPath: '/big', sql: BIG, mcp: { resource: { name: 'big' }, tool: { name: 'big_rows' } } }),
    endpoint({ urlPath: '/slow', sql: SLOW }),
  ]);
  capped.server.maxRows = 1000;
  capped.server.requestTimeoutMs = 200;
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer(capped, { port: 0, logger: silentLogger });
  });
  after(async () => {
    await server.close();
  });

  it('caps an MCP resource at limits.max-rows and says so, without loading the rest', async () => {
    const client = await mcpClient(server.url);
    try {
      const rssBefore = process.memoryUsage().rss;
      const read = await client.readResource({ uri: 'flapi://big' });
      const texts = read.contents.map((c) => ('text' in c ? c.text : ''));
      const rows = JSON.parse(texts[0]!) as unknown[];
      assert.equal(rows.length, 1000);
      assert.match(texts[1] ?? '', /first 1000 rows/);
      // 3M rows as objects would take gigabytes; a capped read takes next to nothing.
      assert.ok(process.memoryUsage().rss - rssBefore < 150 * 1024 * 1024, 'resource read stayed small');
      const tool = (await client.callTool({ name: 'big_rows', arguments: {} })) as CallToolResult;
      assert.equal((tool.structuredContent as { row_count: number; truncated: boolean }).row_count, 1000);
      assert.equal((tool.structuredContent as { truncated: boolean }).truncated, true);
    } finally {
      await client.close();
    }
  });

  for (const format of ['json', 'csv', 'ndjson', 'arrow', 'parquet']) {
    it(`times out a slow query before the first byte as ${format}`, async () => {
      const res = await fetch(`${server.url}/slow?format=${format}`);
      assert.equal(res.status, 503);
      assert.match(res.headers.get('content-type') ?? '', /json/);
      await res.text();
      assert.equal(server.current.database.pool.inUse, 0);
    });
  }
});

describe('slow readers and disconnects', () => {
  const m = manifest([
    endpoint({ urlPath: '/export', sql: BIG }),
    endpoint({ urlPath: '/slow', sql: SLOW }),
    endpoint({ urlPath: '/one', sql: 'SELECT 1 AS one' }),
  ]);
  m.server.poolSize = 2;
  m.server.httpLimits = { streamIdleMs: 500 };
  let server: HttpServerHandle;
  const sockets: Socket[] = [];
  before(async () => {
    server = await startServer(m, { port: 0, logger: silentLogger, poolSize: 2 });
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await server.close();
  });

  it('cuts off clients that stop reading, so others are served', async () => {
    const { port } = new URL(server.url);
    for (let i = 0; i < 2; i++) {
      const socket = connect(Number(port), '127.0.0.1');
      socket.write(`GET /export?format=csv HTTP/1.1\r\nHost: x\r\n\r\n`);
      // Reads the head, then stops reading for good.
      socket.once('data', () => socket.pause());
      sockets.push(socket);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const res = await fetch(`${server.url}/one`, { signal: AbortSignal.timeout(10_000) });
    assert.deepEqual(await res.json(), [{ one: 1 }]);
    assert.ok(sockets.every((s) => !s.destroyed), 'the stalled clients are still connected');
  });

  it('interrupts the query of a client that goes away', async () => {
    const pool = server.current.database.pool;
    const started = Date.now();
    await fetch(`${server.url}/slow`, { signal: AbortSignal.timeout(300) }).catch(() => undefined);
    while (pool.inUse > 0 && Date.now() - started < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(pool.inUse, 0);
    // The query alone runs far longer than this: it was interrupted, not finished.
    assert.ok(Date.now() - started < 5_000);
  });
});

describe('paging when the endpoint declares limit and offset itself', () => {
  // flAPI projects declare them, often without defaults: a bare request still gets the default page.
  const m = manifest([
    endpoint({
      urlPath: '/declared',
      pagination: true,
      sql: 'SELECT id FROM flights ORDER BY id',
      params: [
        { name: 'limit', in: 'query', required: false, validators: [{ type: 'int', min: 1, max: 1000 }] },
        { name: 'offset', in: 'query', required: false, validators: [{ type: 'int', min: 0 }] },
      ],
    }),
  ]);
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer(m, { port: 0, logger: silentLogger });
  });
  after(async () => {
    await server.close();
  });

  it('pages with the defaults, and with what the request names', async () => {
    const bare = (await (await fetch(`${server.url}/declared`)).json()) as { data: { id: number }[]; total_count: number };
    assert.equal(bare.data.length, m.server.defaultLimit);
    assert.equal(bare.total_count, 30);
    const page = await fetch(`${server.url}/declared?limit=2&offset=3`);
    assert.deepEqual(((await page.json()) as { data: unknown[] }).data, [{ id: 4 }, { id: 5 }]);
    assert.equal(page.headers.get('x-offset'), '3');
    assert.equal(page.headers.get('x-limit'), '2');
  });
});
