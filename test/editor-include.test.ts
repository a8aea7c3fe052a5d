/**
 * `"{{include ...}}":` — the include directive as a quoted key — is valid YAML and valid
 * against the JSON Schema before substitution (what an editor's YAML language server sees:
 * the same `yaml` parser, then the schema), and compiles exactly like flAPI's bare form.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parseDocument } from 'yaml';
import { compileProject } from '../cli/compile-project.js';
import { readSchema } from '../cli/check/schema-files.js';

const FLAPI = `project-name: include-forms
template:
  path: ./sqls
connections:
  db:
    init: CREATE TABLE items AS SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(id, name);
`;
const FRAGMENT = `request:
  - field-name: id
    field-in: query
    validators:
      - type: int
        min: 1
`;
const endpoint = (include: string) => `url-path: /items
template-source: items.sql
${include}
`;

function editorView(text: string): { syntax: string[]; schema: string[] } {
  const doc = parseDocument(text);
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addSchema(readSchema('flapi.schema.json'), 'flapi.schema.json');
  const validate = ajv.compile(readSchema('endpoint.schema.json'));
  const valid = doc.errors.length > 0 || validate(doc.toJS());
  return { syntax: doc.errors.map((e) => e.code), schema: valid ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`) };
}

async function params(include: string): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'flapi-include-'));
  try {
    mkdirSync(join(dir, 'sqls', 'common'), { recursive: true });
    writeFileSync(join(dir, 'flapi.yaml'), FLAPI);
    writeFileSync(join(dir, 'sqls', 'common', 'filters.yaml'), FRAGMENT);
    writeFileSync(join(dir, 'sqls', 'items.sql'), 'SELECT * FROM items WHERE 1 = 1 {{#params.id}} AND id = {{params.id}} {{/params.id}}');
    writeFileSync(join(dir, 'sqls', 'items.yaml'), endpoint(include));
    const result = await compileProject({ dir });
    assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), [], include);
    return result.manifest!.endpoints[0]!.params;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("flAPI's bare directive is a YAML syntax error for an editor; the quoted key is not", () => {
  assert.notDeepEqual(editorView(endpoint('{{include:request from common/filters.yaml}}')).syntax, [], 'the bare form');
  for (const quoted of ['"{{include:request from common/filters.yaml}}":', "'{{include from common/filters.yaml if env.X}}':"]) {
    assert.deepEqual(editorView(endpoint(quoted)), { syntax: [], schema: [] }, quoted);
  }
  assert.notDeepEqual(editorView(endpoint('"{{nclude:request from common/filters.yaml}}":')).schema, [], 'only include directives are allowed as keys');
});

test('the quoted key compiles exactly like the bare directive', async () => {
  const bare = await params('{{include:request from common/filters.yaml}}');
  assert.deepEqual(await params('"{{include:request from common/filters.yaml}}":'), bare);
  assert.deepEqual(await params("'{{include:request from common/filters.yaml}}':  # shared filters"), bare);
  assert.equal((bare as { name: string }[])[0]!.name, 'id');
});
