/**
 * The flights example as an agent sees it: compiled by the real compiler, served by
 * `startServer` on a random port, used through the MCP SDK client. Expected rows are
 * computed by DuckDB from the same tables with SQL written independently of the templates.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { compileProject } from '../cli/compile-project.js';
import { silentLogger, startServer, type HttpServerHandle } from '../runtime/index.js';

const EXAMPLE = fileURLToPath(new URL('../examples/flights', import.meta.url));

function rowsOf(result: CallToolResult): Record<string, unknown>[] {
  const item = result.content[0];
  assert.ok(item && item.type === 'text');
  assert.notEqual(result.isError, true, item.text);
  return JSON.parse(item.text) as Record<string, unknown>[];
}

describe('MCP on examples/flights', () => {
  let handle: HttpServerHandle;
  let client: Client;

  before(async () => {
    const compiled = await compileProject({ dir: EXAMPLE, env: {} });
    assert.ok(compiled.manifest, compiled.diagnostics.map((d) => d.message).join('\n'));
    const manifest = compiled.manifest;
    manifest.duckdb.settings = { ...manifest.duckdb.settings, autoinstall_known_extensions: false, autoload_known_extensions: false };
    handle = await startServer(manifest, { port: 0, host: '127.0.0.1', logger: silentLogger, poolSize: 2, env: {} });
    client = new Client({ name: 'flights-agent', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', handle.url)));
  });

  after(async () => {
    await client?.close();
    await handle?.close();
  });

  it('lists the example tools with typed schemas', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name).sort();
    for (const name of ['airport_daily_delays', 'busiest_routes', 'find_airports']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    const delays = tools.find((t) => t.name === 'airport_daily_delays')!;
    const props = delays.inputSchema.properties as Record<string, Record<string, unknown>>;
    assert.deepEqual(delays.inputSchema.required, ['iata']);
    assert.equal(props['iata']!['type'], 'string');
    assert.ok(new RegExp(props['iata']!['pattern'] as string).test('ORD'));
    assert.ok(!new RegExp(props['iata']!['pattern'] as string).test('ord'));
    assert.equal(props['date_from']!['format'], 'date');
    const airports = tools.find((t) => t.name === 'find_airports')!;
    const sort = (airports.inputSchema.properties as Record<string, Record<string, unknown>>)['sort']!;
    assert.deepEqual(sort['enum'], ['name', 'city', 'state', 'iata']);
  });

  it('answers airport_daily_delays with the departures DuckDB counts', async () => {
    const result = (await client.callTool({
      name: 'airport_daily_delays',
      arguments: { iata: 'ORD', date_from: '2001-01-01', date_to: '2001-01-03' },
    })) as CallToolResult;
    const rows = rowsOf(result);
    const expected = (
      await handle.current.database.query(
        `SELECT strftime(CAST(date AS DATE), '%Y-%m-%d') AS day, CAST(count(*) AS INTEGER) AS departures
         FROM flights WHERE origin = 'ORD' AND date >= DATE '2001-01-01' AND date < DATE '2001-01-04'
         GROUP BY 1 ORDER BY 1`,
      )
    ).rows;
    assert.equal(expected.length, 3);
    assert.deepEqual(rows.map((r) => ({ day: r['day'], departures: r['departures'] })), expected);
  });

  it('answers busiest_routes from one airport, one page at a time', async () => {
    const result = (await client.callTool({ name: 'busiest_routes', arguments: { origin: 'SFO', limit: 3 } })) as CallToolResult;
    const rows = rowsOf(result);
    const expected = (
      await handle.current.database.query(
        `SELECT destination, CAST(count(*) AS INTEGER) AS flights FROM flights WHERE origin = 'SFO'
           AND destination IN (SELECT iata FROM airports)
         GROUP BY destination ORDER BY flights DESC, destination LIMIT 3`,
      )
    ).rows;
    assert.deepEqual(rows.map((r) => ({ destination: r['destination'], flights: r['flights'] })), expected);
    assert.ok(rows.every((r) => r['origin'] === 'SFO' && typeof r['destination_city'] === 'string'));
  });

  it('refuses a lower-case airport code with an isError result naming the field', async () => {
    const result = (await client.callTool({ name: 'airport_daily_delays', arguments: { iata: 'ord' } })) as CallToolResult;
    assert.equal(result.isError, true);
    const item = result.content[0];
    assert.ok(item && item.type === 'text');
    assert.match(item.text, /iata: /);
  });
});
