/**
 * A generated project of any number of endpoints over 100,000 generated rows, for timing
 * `flapi validate` and `flapi build` as a project grows: a rotating mix of endpoint shapes
 * (path lookup, filtered page, enum sort, aggregate), each with its own SQL.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const flapiYaml = (endpoints: number): string => `project-name: bench-${endpoints}
template:
  path: ./sqls
connections:
  main:
    properties:
      regions: ./data/regions.csv
    init: |
      CREATE TABLE events AS
        SELECT i AS id, 'kind_' || (i % 20) AS kind, i % 1000 AS amount,
               DATE '2024-01-01' + CAST(i % 365 AS INTEGER) AS day, 'r' || (i % 8) AS region
        FROM range(1, 100001) t(i);
      CREATE TABLE regions AS SELECT * FROM read_csv('{{{conn.regions}}}', header = true);
duckdb:
  autoinstall_known_extensions: false
  autoload_known_extensions: false
`;

/** Endpoint n: a rotating mix of shapes (path lookup, filtered page, enum sort, aggregate). */
function endpoint(n: number): { yaml: string; sql: string } {
  switch (n % 4) {
    case 0:
      return {
        yaml: `url-path: /e${n}/events/:id\ntemplate-source: e${n}.sql\nconnection: [main]\nwith-pagination: false\nrequest:\n  - field-name: id\n    field-in: path\n    required: true\n    validators: [{ type: int, min: 1 }]\n`,
        sql: `SELECT id, kind, amount, day, region, ${n} AS endpoint FROM events WHERE id = {{params.id}}\n`,
      };
    case 1:
      return {
        yaml: `url-path: /e${n}/events\ntemplate-source: e${n}.sql\nconnection: [main]\nrequest:\n  - field-name: kind\n    field-in: query\n    validators: [{ type: string, regex: '^kind_[0-9]+$' }]\n  - field-name: since\n    field-in: query\n    validators: [{ type: date }]\n`,
        sql: `SELECT * FROM events WHERE amount > ${n}\n{{#params.kind}} AND kind = {{params.kind}} {{/params.kind}}\n{{#params.since}} AND day >= {{params.since}} {{/params.since}}\nORDER BY id\n`,
      };
    case 2:
      return {
        yaml: `url-path: /e${n}/regions\ntemplate-source: e${n}.sql\nconnection: [main]\nrequest:\n  - field-name: sort\n    field-in: query\n    default: name\n    validators: [{ type: enum, allowedValues: [name, code] }]\n`,
        sql: `SELECT code, name, ${n} AS n FROM regions ORDER BY {{params.sort}}\n`,
      };
    default:
      return {
        yaml: `url-path: /e${n}/totals\ntemplate-source: e${n}.sql\nconnection: [main]\nwith-pagination: false\nrequest:\n  - field-name: region\n    field-in: query\n    validators: [{ type: string, max: 4 }]\n`,
        sql: `SELECT region, count(*) AS events, sum(amount)::DECIMAL(18,2) AS total, list(DISTINCT kind) AS kinds\nFROM events WHERE id % ${n + 1} = 0 {{#params.region}} AND region = {{params.region}} {{/params.region}}\nGROUP BY region ORDER BY region\n`,
      };
  }
}

/** A project of `endpoints` endpoints in `dir` (created). */
export function writeGeneratedProject(dir: string, endpoints: number): void {
  mkdirSync(join(dir, 'sqls'), { recursive: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'flapi.yaml'), flapiYaml(endpoints));
  writeFileSync(join(dir, 'data', 'regions.csv'), `code,name\n${Array.from({ length: 8 }, (_, i) => `r${i},Region ${i}`).join('\n')}\n`);
  for (let n = 0; n < endpoints; n++) {
    const { yaml, sql } = endpoint(n);
    writeFileSync(join(dir, 'sqls', `e${n}.yaml`), yaml);
    writeFileSync(join(dir, 'sqls', `e${n}.sql`), sql);
  }
}
