/**
 * What a response carries for wide integers (`serialization.bigint`) and JSON columns,
 * through a real server in every JSON-based format and MCP; and that a statement whose
 * result types change between runs (a table function over a file chosen by a parameter)
 * still gives valid JSON with the right values.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, silentLogger, type HttpServerHandle } from '../runtime/index.js';
import { buildOpenApi } from '../runtime/openapi/index.js';
import { columnType } from '../cli/build/ts-types.js';
import { endpoint, manifest } from './serve-fixture.js';

const WIDE = `SELECT 42::BIGINT AS small, 9007199254740993::BIGINT AS big, '{"a":[1,2],"b":{"c":null}}'::JSON AS doc`;

async function serve(bigint: 'auto' | 'number' | 'string' | undefined, extra = manifest([endpoint({ urlPath: '/wide', sql: WIDE })])): Promise<HttpServerHandle> {
  if (bigint !== undefined) extra.server.bigint = bigint;
  return startServer(extra, { port: 0, logger: silentLogger });
}

describe('output modes', () => {
  it('writes wide integers as configured, in JSON and NDJSON', async () => {
    const expected = {
      auto: '{"small":42,"big":"9007199254740993"',
      number: '{"small":42,"big":9007199254740993',
      string: '{"small":"42","big":"9007199254740993"',
    } as const;
    for (const mode of ['auto', 'number', 'string'] as const) {
      const server = await serve(mode);
      try {
        const json = await (await fetch(`${server.url}/wide`)).text();
        assert.ok(json.startsWith(`[${expected[mode]}`), `${mode}: ${json}`);
        const ndjson = await (await fetch(`${server.url}/wide?format=ndjson`)).text();
        assert.ok(ndjson.startsWith(expected[mode]), `${mode} ndjson: ${ndjson}`);
      } finally {
        await server.close();
      }
    }
  });

  it('nests JSON columns instead of quoting them', async () => {
    const server = await serve(undefined);
    try {
      const [row] = (await (await fetch(`${server.url}/wide`)).json()) as { doc: unknown }[];
      assert.deepEqual(row!.doc, { a: [1, 2], b: { c: null } });
      const csv = await (await fetch(`${server.url}/wide?format=csv`)).text();
      assert.match(csv, /"\{""a"":\[1,2\]/);
    } finally {
      await server.close();
    }
  });

  it('describes wide integers in OpenAPI and TypeScript as they are written', () => {
    const column = { name: 'big', type: 'BIGINT', nullable: false };
    assert.equal(columnType(column, 'auto').text, 'WideInteger');
    assert.equal(columnType(column, 'number').text, 'number');
    assert.equal(columnType(column, 'string').text, 'string');
    const m = manifest([endpoint({ urlPath: '/wide', sql: WIDE, columns: [column] })]);
    m.server.bigint = 'string';
    const doc = JSON.stringify(buildOpenApi(m, 'http://localhost'));
    assert.match(doc, /"big":\{"type":"string","format":"int64"/);
  });

  describe('a statement whose result types change between runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flapi-shapes-'));
    let server: HttpServerHandle;
    before(async () => {
      writeFileSync(join(dir, 'numbers.csv'), 'a,b\n1,x\n2,y\n');
      writeFileSync(join(dir, 'words.csv'), 'a,b\nroot,hunter2\n');
      const m = manifest([
        endpoint({
          urlPath: '/file',
          sql: "SELECT * FROM read_csv('{{{conn.dir}}}/{{params.f}}.csv', header = true) ORDER BY a",
          params: [{ name: 'f', in: 'query', required: true, validators: [{ type: 'enum', allowedValues: ['numbers', 'words'] }] }],
        }),
      ]);
      m.connections['main']!.properties = { dir };
      server = await serve(undefined, m);
    });
    after(async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('writes each result with encoders for its own types', async () => {
      for (const [f, rows] of [['numbers', [{ a: 1, b: 'x' }, { a: 2, b: 'y' }]], ['words', [{ a: 'root', b: 'hunter2' }]], ['numbers', [{ a: 1, b: 'x' }, { a: 2, b: 'y' }]]] as const) {
        const res = await fetch(`${server.url}/file?f=${f}`);
        const text = await res.text();
        assert.equal(res.status, 200, text);
        assert.deepEqual(JSON.parse(text), rows, `${f}: ${text}`);
      }
    });
  });
});
