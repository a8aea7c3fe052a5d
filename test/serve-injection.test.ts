import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ParamLocation } from '../runtime/manifest.js';
import { startServer, silentLogger, type HttpServerHandle } from '../runtime/index.js';
import { endpoint, manifest } from './serve-fixture.js';

const PAYLOADS = [
  "JFK",
  "' OR '1'='1",
  "JFK' --",
  "JFK'; DROP TABLE words; --",
  "x' UNION SELECT s FROM secrets --",
  '" OR ""="',
  "/* */ OR 1=1",
  "JFK\u0000' OR 1=1",
  "\u2019 OR 1=1 \u2018",
  "%",
  "_",
  "\\'",
  "1e3",
  "0x10",
  "$1",
  "{{params.q}}",
  "x".repeat(100_000),
];

const INIT = `
CREATE TABLE words AS SELECT * FROM (VALUES ('JFK'), ('%'), ('it''s'), ('x'), ('1e3'), ('$1'), ('JFK'' --')) t(s);
CREATE TABLE secrets AS SELECT 'top secret' AS s;
`;

/** Template forms, each with the same filter written with a plain `$1` for the expectation. */
const FORMS = {
  value: ['s = {{params.q}}', 's = $1'],
  triple: ['s = {{{params.q}}}', 's = $1'],
  literal: ["s = '{{params.q}}'", 's = $1'],
  // The request's % and _ are text inside the author's pattern: a plain substring test.
  like: ["s LIKE '%{{params.q}}%'", 'contains(s, $1)'],
  section: ['1=1 {{#params.q}} AND s = {{params.q}} {{/params.q}}', 's = $1'],
} as const;

const LOCATIONS: ParamLocation[] = ['query', 'path', 'header', 'body'];

function urlFor(location: ParamLocation, form: string): string {
  return location === 'path' ? `/${location}/${form}/:q` : `/${location}/${form}`;
}

const endpoints = LOCATIONS.flatMap((location) =>
  Object.entries(FORMS).map(([form, [filter]]) =>
    endpoint({
      urlPath: urlFor(location, form),
      method: location === 'body' ? 'POST' : 'GET',
      sql: `SELECT s FROM words WHERE ${filter} ORDER BY s`,
      params: [{ name: 'q', in: location, required: true, validators: [] }],
    }),
  ),
);

describe('injection through every parameter kind and template form', () => {
  let server: HttpServerHandle;
  const m = manifest(endpoints, INIT);
  m.server.bodyLimit = 1_000_000;
  before(async () => {
    server = await startServer(m, { port: 0, logger: silentLogger });
  });
  after(async () => {
    await server.close();
  });

  for (const location of LOCATIONS) {
    it(`${location} parameters`, async () => {
      for (const [form, [, plain]] of Object.entries(FORMS)) {
        for (const payload of PAYLOADS) {
          if (location === 'header' && !/^[\x20-\x7e]*$/.test(payload)) continue;
          // Node itself answers 414/431 for URLs and headers this long, before any flapi code runs.
          if (location !== 'body' && payload.length > 4000) continue;
          let res: Response;
          const base = server.url + urlFor(location, form).replace(':q', encodeURIComponent(payload));
          if (location === 'query') res = await fetch(`${base}?q=${encodeURIComponent(payload)}`);
          else if (location === 'path') res = await fetch(base);
          else if (location === 'header') res = await fetch(base, { headers: { q: payload } });
          else res = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ q: payload }) });
          const what = `${location}/${form} ${JSON.stringify(payload.slice(0, 40))}`;
          assert.ok(res.status === 200 || res.status === 400, `${what}: status ${res.status}`);
          if (res.status !== 200) continue;
          const expected = await server.current.database.query(`SELECT s FROM words WHERE ${plain} ORDER BY s`, [payload]);
          assert.deepEqual(await res.json(), expected.rows, what);
        }
      }
      const tables = await server.current.database.query("SELECT count(*)::INT AS n FROM duckdb_tables() WHERE table_name IN ('words', 'secrets')");
      assert.deepEqual(tables.rows, [{ n: 2 }]);
    });
  }
});
