import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { compileTemplate, renderTemplate } from '../runtime/template/index.js';
import { PEOPLE, STRING_PAYLOADS } from './support/injection-payloads.js';

/** Every template form a request value can stand in, with the rows it must select. */
const FORMS: ReadonlyArray<{ name: string; sql: string; auth?: boolean; matches: (name: string, v: string) => boolean }> = [
  { name: 'bare double braces', sql: 'WHERE name = {{params.v}}', matches: (n, v) => n === v },
  { name: 'bare triple braces', sql: 'WHERE name = {{{params.v}}}', matches: (n, v) => n === v },
  { name: 'quoted triple braces', sql: "WHERE name = '{{{params.v}}}'", matches: (n, v) => n === v },
  { name: 'quoted double braces', sql: "WHERE name = '{{params.v}}'", matches: (n, v) => n === v },
  // The request's own % and _ are text inside the author's pattern (render-template.ts).
  { name: 'inside a LIKE pattern', sql: "WHERE name LIKE '%{{params.v}}%'", matches: (n, v) => n.includes(v) },
  { name: 'inside a section', sql: "WHERE 1=1 {{#params.v}}AND name = '{{{params.v}}}'{{/params.v}}", matches: (n, v) => v === '' || n === v },
  { name: 'inside an inverted section', sql: 'WHERE 1=1 {{^params.none}}AND name = {{params.v}}{{/params.none}}', matches: (n, v) => n === v },
  { name: 'auth value in a literal', sql: "WHERE name = '{{{auth.username}}}'", auth: true, matches: (n, v) => n === v },
];

describe('request values never become SQL text', () => {
  let connection: DuckDBConnection;

  before(async () => {
    const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
    connection = await instance.connect();
    await connection.run('CREATE TABLE people (id INTEGER, name VARCHAR)');
    await connection.run('CREATE TABLE secrets (id INTEGER, secret VARCHAR)');
    await connection.run("INSERT INTO secrets VALUES (1, 'top secret')");
    const insert = await connection.prepare('INSERT INTO people VALUES ($1, $2)');
    for (const [i, name] of PEOPLE.entries()) {
      insert.bind([i + 1, name]);
      await insert.run();
    }
  });

  after(() => connection?.closeSync());

  for (const form of FORMS) {
    it(`selects exactly the literal matches: ${form.name}`, async () => {
      const template = compileTemplate(`SELECT name FROM people ${form.sql} ORDER BY id`);
      for (const payload of STRING_PAYLOADS) {
        const context = form.auth ? { params: {}, auth: { username: payload } } : { params: { v: payload, other: 'x' }, conn: { secret: 's' } };
        const { sql, values } = renderTemplate(template, context);
        // The SQL text must not depend on the value, only on whether a section is on.
        const benign = payload === '' ? '' : 'benign';
        const baseline = renderTemplate(template, form.auth ? { params: {}, auth: { username: benign } } : { params: { v: benign, other: 'x' }, conn: { secret: 's' } });
        assert.equal(sql, baseline.sql, `the SQL text changed with ${JSON.stringify(payload.slice(0, 40))}`);
        assert.ok(values.length > 0 || payload === '', 'the value was not bound');
        const prepared = await connection.prepare(sql);
        prepared.bind(values);
        const rows = (await prepared.runAndReadAll()).getRowObjectsJson().map((r) => r.name);
        const expected = PEOPLE.filter((name) => form.matches(name, payload));
        assert.deepEqual(rows, expected, `${form.name} with ${JSON.stringify(payload.slice(0, 40))}`);
      }
      const count = await connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM people');
      assert.equal(count.getRowObjectsJson()[0].n, PEOPLE.length);
    });
  }
});
