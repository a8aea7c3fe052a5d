import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  compileTemplate,
  renderTemplate,
  TemplateRenderError,
  TemplateSyntaxError,
  type TemplateContext,
} from '../runtime/template/index.js';

function render(source: string, params: Record<string, unknown>, extra: Partial<TemplateContext> = {}, splice?: Set<string> | Map<string, string[]>) {
  return renderTemplate(compileTemplate(source, { splice }), { params, ...extra });
}

describe('template rendering binds every request value', () => {
  it('binds a bare tag as a positional parameter', () => {
    assert.deepEqual(render('SELECT * FROM t WHERE id = {{params.id}}', { id: 7 }), {
      sql: 'SELECT * FROM t WHERE id = $1',
      values: [7],
    });
  });

  it('binds triple braces exactly like double braces', () => {
    assert.deepEqual(render('WHERE a = {{{params.a}}} AND b = {{ params.b }}', { a: "x'", b: '<y>' }), {
      sql: 'WHERE a = $1 AND b = $2',
      values: ["x'", '<y>'],
    });
  });

  it('binds the whole content of a quoted literal holding a tag', () => {
    assert.deepEqual(render("WHERE name LIKE '%{{params.q}}%' AND r = '{{{params.region}}}'", { q: "O'Hare", region: 'EU' }), {
      sql: "WHERE name LIKE $1 ESCAPE '\\' AND r = $2",
      values: ["%O'Hare%", 'EU'],
    });
  });

  it('unescapes doubled quotes of the author inside a bound literal', () => {
    assert.deepEqual(render("SELECT 'it''s {{params.b}}' AS y", { b: 'ok' }), { sql: 'SELECT $1 AS y', values: ["it's ok"] });
  });

  it('reuses one placeholder for the same path', () => {
    assert.deepEqual(render('WHERE a = {{params.x}} OR b = {{params.x}}', { x: 1 }), { sql: 'WHERE a = $1 OR b = $1', values: [1] });
  });

  it('binds values inside sections and drops sections whose value is absent', () => {
    const source = 'SELECT 1 WHERE 1=1{{#params.o}} AND o = {{params.o}}{{/params.o}}{{^params.o}} AND o IS NULL{{/params.o}}';
    assert.deepEqual(render(source, { o: 'JFK' }), { sql: 'SELECT 1 WHERE 1=1 AND o = $1', values: ['JFK'] });
    assert.deepEqual(render(source, {}), { sql: 'SELECT 1 WHERE 1=1 AND o IS NULL', values: [] });
    assert.deepEqual(render(source, { o: '' }), { sql: 'SELECT 1 WHERE 1=1 AND o IS NULL', values: [] });
  });

  it('treats 0 as a present value in a section', () => {
    assert.deepEqual(render('X{{#params.n}} AND n >= {{params.n}}{{/params.n}}', { n: 0 }), { sql: 'X AND n >= $1', values: [0] });
  });

  it('binds auth values like params', () => {
    const out = renderTemplate(compileTemplate("WHERE owner = '{{{auth.username}}}' AND t = {{auth.tenant}}"), {
      params: {},
      auth: { username: "bob' OR 1=1 --", tenant: 3 },
    });
    assert.deepEqual(out, { sql: 'WHERE owner = $1 AND t = $2', values: ["bob' OR 1=1 --", 3] });
  });

  it('splices trusted config values, escaping quotes inside literals', () => {
    const out = render("FROM read_parquet('{{{conn.path}}}') WHERE {{env.COL}} > 0", {}, { conn: { path: "/d/it's.parquet" }, env: { COL: 'delay' } });
    assert.deepEqual(out, { sql: "FROM read_parquet('/d/it''s.parquet') WHERE delay > 0", values: [] });
  });

  it('binds a literal that mixes config and request values as one string', () => {
    const out = render("WHERE path = '{{{conn.root}}}/{{params.file}}'", { file: 'a.csv' }, { conn: { root: '/data' } });
    assert.deepEqual(out, { sql: 'WHERE path = $1', values: ['/data/a.csv'] });
  });

  it('splices enum-validated params and checks the allowed values again', () => {
    const splice = new Map([['sort', ['name', 'city']]]);
    assert.deepEqual(render('SELECT * FROM a ORDER BY {{params.sort}}', { sort: 'city' }, {}, splice), {
      sql: 'SELECT * FROM a ORDER BY city',
      values: [],
    });
    assert.throws(() => render('SELECT * FROM a ORDER BY {{params.sort}}', { sort: 'city; DROP TABLE a' }, {}, splice), TemplateRenderError);
  });

  it('binds an enum param that stands where a value goes', () => {
    const splice = new Map([['origin', ['SFO', 'JFK']]]);
    assert.deepEqual(render('SELECT {{params.origin}} AS col FROM f WHERE origin = {{params.origin}}', { origin: 'SFO' }, {}, splice), {
      sql: 'SELECT SFO AS col FROM f WHERE origin = $1',
      values: ['SFO'],
    });
  });

  it('refuses a non-enum param where SQL text is expected', () => {
    for (const source of [
      'SELECT * FROM a ORDER BY {{params.sort}}',
      'SELECT * FROM a GROUP BY {{params.g}}',
      'SELECT * FROM {{params.table}}',
      'SELECT * FROM t_{{params.suffix}}',
      'SELECT "{{params.col}}" FROM a',
    ]) {
      const template = compileTemplate(source);
      assert.ok(template.references.some((r) => r.placement === 'identifier'), source);
      assert.throws(() => renderTemplate(template, { params: { sort: 'x', g: 'x', table: 'x', suffix: 'x', col: 'x' } }), TemplateRenderError, source);
    }
  });

  it('ignores tags inside SQL comments', () => {
    const template = compileTemplate('SELECT 1 -- {{params.x}}\n/* {{params.y}} */ WHERE a = {{params.z}}');
    assert.deepEqual(template.references.map((r) => r.path), ['params.z']);
    assert.deepEqual(renderTemplate(template, { params: { x: 1, y: 2, z: 3 } }), {
      sql: 'SELECT 1 -- \n/*  */ WHERE a = $1',
      values: [3],
    });
  });

  it('binds nulls for absent values outside sections', () => {
    assert.deepEqual(render('WHERE a = {{params.a}}', {}), { sql: 'WHERE a = $1', values: [null] });
  });

  it('iterates list values in sections and binds each item', () => {
    assert.deepEqual(render('IN (NULL{{#params.ids}}, {{.}}{{/params.ids}})', { ids: [1, 2] }), { sql: 'IN (NULL, $1, $2)', values: [1, 2] });
  });
});

describe('template references and errors', () => {
  it('records every tag with its placement and position', () => {
    const template = compileTemplate("SELECT *\nFROM t\nWHERE a = {{params.a}}\n{{#params.b}}AND b LIKE '%{{params.b}}'{{/params.b}}");
    assert.deepEqual(
      template.references.map((r) => [r.path, r.namespace, r.key, r.placement, r.line, r.column]),
      [
        ['params.a', 'params', 'a', 'value', 3, 11],
        ['params.b', 'params', 'b', 'section', 4, 1],
        ['params.b', 'params', 'b', 'literal', 4, 27],
      ],
    );
  });

  it('reports an unclosed section with its line', () => {
    assert.throws(
      () => compileTemplate('SELECT 1\nWHERE 1=1\n{{#params.a}} AND a = 1\n'),
      (err: unknown) => err instanceof TemplateSyntaxError && /Unclosed section "params.a"/.test(err.message) && err.line === 4,
    );
  });

  it('reports an unopened section at its tag', () => {
    assert.throws(
      () => compileTemplate('SELECT 1\n{{/params.a}}'),
      (err: unknown) => err instanceof TemplateSyntaxError && /Unopened section/.test(err.message) && err.line === 2 && err.column === 1,
    );
  });

  it('reports a quoted string that never closes', () => {
    assert.throws(() => compileTemplate("SELECT 'abc {{params.a}}"), TemplateSyntaxError);
  });

  it('refuses a section that opens inside a quoted string', () => {
    assert.throws(() => compileTemplate("SELECT '{{#params.a}}x{{/params.a}}'"), TemplateSyntaxError);
  });
});

describe('typed literals', () => {
  it('casts a bound value where a type keyword prefixed the quoted literal', async () => {
    const { compileTemplate, renderTemplate } = await import('../runtime/template/index.js');
    const render = (src: string) => renderTemplate(compileTemplate(src), { params: { d: '2024-01-01', t: '10:00:00' } });
    assert.deepEqual(render("SELECT DATE '{{{params.d}}}' AS d, TIME '{{{params.t}}}' AS t"), { sql: 'SELECT CAST($1 AS DATE) AS d, CAST($2 AS TIME) AS t', values: ['2024-01-01', '10:00:00'] });
    assert.deepEqual(render("DATE '{{{params.d}}}'"), { sql: 'CAST($1 AS DATE)', values: ['2024-01-01'] });
    assert.equal(render("SELECT updated_date '{{{params.d}}}'").sql, 'SELECT updated_date $1');
  });
});
