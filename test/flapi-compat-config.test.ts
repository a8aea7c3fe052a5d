/**
 * flAPI configuration keys a flAPI project uses, and how validate and the server take them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compileProject, type CompileResult } from '../cli/compile-project.js';
import { silentLogger, startServer } from '../runtime/index.js';
import type { Manifest } from '../runtime/manifest.js';
import { tempProject } from './support/cache-project.js';

const p = tempProject({
  'flapi.yaml': [
    'project-name: compat',
    'template:',
    '  path: ./sqls',
    'environment-whitelist:',
    "  - '^COMPAT_.*'",
    'connections:',
    '  files:',
    '    properties:',
    "      label: '{{env.COMPAT_LABEL}}'",
    'cors:',
    '  allow-origins: [https://app.example.com]',
    '  allow-headers: [Content-Type, X-Custom]',
    '  allow-methods: [GET, POST]',
    'mcp:',
    '  enabled: true',
    '  instructions-file: ./instructions.md',
  ].join('\n'),
  'instructions.md': 'Use get_items to list items.\n',
  'sqls/items.yaml': [
    'url-path: /items/',
    'template-source: items.sql',
    'request:',
    '  - field-name: code',
    '    field-in: query',
    '    validators:',
    '      - type: string',
    '        min-length: 2',
    '        max-length: 4',
    'rate-limit:',
    '  max: 1000',
  ].join('\n'),
  // params.name is not declared: flAPI passes it through.
  'sqls/items.sql': "SELECT 1 AS id, '{{{conn.label}}}' AS label{{#params.code}}, {{params.code}} AS code{{/params.code}}{{#params.name}}, {{params.name}} AS name{{/params.name}}",
  'sqls/items-tool.yaml': [
    'mcp-tool:',
    '  name: get_items',
    '  description: The same items for agents',
    '  result-mime-type: application/json',
    'template-source: items.sql',
  ].join('\n'),
  'sqls/create.yaml': [
    'url-path: /items/create',
    'method: POST',
    'operation:',
    '  type: Write',
    '  returns-data: true',
    '  validate-before-write: true',
    'request:',
    '  - field-name: code',
    '    field-in: body',
    'template-source: create.sql',
  ].join('\n'),
  'sqls/create.sql': 'SELECT {{params.code}} AS code',
  'sqls/cached.yaml': [
    'url-path: /cached',
    'template-source: cached.sql',
    'operation:',
    '  type: Read',
    'cache:',
    '  table: cached',
    '  delete-handling: soft',
    '  template-file: cached-cache.sql',
  ].join('\n'),
  'sqls/cached.sql': 'SELECT * FROM {{cache.catalog}}.{{cache.schema}}.{{cache.table}}',
  'sqls/cached-cache.sql': 'SELECT 1 AS id {{#params.id}}WHERE id = {{params.id}}{{/params.id}}',
}, 'flapi-compat-config-');

const env = { COMPAT_LABEL: 'from-env' };
let result: CompileResult;
let manifest: Manifest;

before(async () => {
  result = await compileProject({ dir: p.dir, env });
  assert.ok(result.manifest, result.diagnostics.map((d) => `${d.file}:${d.line} ${d.severity} ${d.message}`).join('\n'));
  manifest = result.manifest;
});
after(() => p.remove());

const endpoint = (name: string) => manifest.endpoints.find((e) => e.name === name)!;
const warnings = (code: string) => result.diagnostics.filter((d) => d.code === code && d.severity === 'warning');

describe('flAPI keys in validate', () => {
  it('reads the top-level environment-whitelist', () => {
    assert.equal(manifest.connections['files']!.properties['label'], 'from-env');
  });

  it('takes operation.type in any case and validate-before-write as rejecting undeclared fields', () => {
    assert.equal(endpoint('post_items_create').operation.type, 'write');
    assert.equal(endpoint('post_items_create').requestFieldsValidation, true);
    assert.equal(endpoint('get_cached').operation.type, 'read');
    assert.equal(endpoint('get_items_route').requestFieldsValidation, false);
  });

  it('maps min-length / max-length onto the string bounds', () => {
    assert.deepEqual(endpoint('get_items_route').params[0]!.validators, [{ type: 'string', min: 2, max: 4 }]);
  });

  it('lets an MCP tool share its name with a route: the route\'s derived name gives way', () => {
    assert.deepEqual(manifest.endpoints.map((e) => e.name).filter((n) => n.startsWith('get_items')).sort(), ['get_items', 'get_items_route']);
    assert.equal(result.diagnostics.filter((d) => d.code === 'duplicate-name').length, 0);
  });

  it('warns (not errors) on undeclared params and on params in a cache template', () => {
    assert.ok(warnings('param-undeclared').some((d) => /params\.name/.test(d.message)));
    assert.ok(warnings('cache-template-params').some((d) => /renders empty/.test(d.message)));
  });

  it('knows result-mime-type and delete-handling', () => {
    assert.deepEqual(result.diagnostics.filter((d) => /result-mime-type|delete-handling|validate-before-write|environment-whitelist|min-length/.test(d.message)), []);
  });

  it('says where a block without `enabled:` is enforced though flAPI would leave it off', () => {
    assert.ok(warnings('flapi-enabled-default').some((d) => d.file.endsWith('items.yaml') && /`rate-limit` has no `enabled:`/.test(d.message)));
  });

  it('embeds mcp.instructions-file', () => {
    assert.equal(manifest.mcp?.instructions, 'Use get_items to list items.\n');
  });
});

describe('flAPI keys at run time', () => {
  let url = '';
  let close: () => Promise<void> = async () => undefined;
  before(async () => {
    const server = await startServer(manifest, { port: 0, logger: silentLogger, env, cacheRefresh: 'manual' });
    url = server.url;
    close = () => server.close();
  });
  after(() => close());

  it('enforces min-length / max-length', async () => {
    assert.equal((await fetch(`${url}/items/?code=abc`)).status, 200);
    for (const code of ['a', 'abcde']) {
      const response = await fetch(`${url}/items/?code=${code}`);
      assert.equal(response.status, 400);
      assert.match(await response.text(), /"field":"code"/);
    }
  });

  it('answers preflights with cors allow-headers and allow-methods, and refuses other methods', async () => {
    const preflight = (method: string) => fetch(`${url}/items/`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': method },
    });
    const ok = await preflight('POST');
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-methods'), 'GET, POST');
    assert.equal(ok.headers.get('access-control-allow-headers'), 'Content-Type, X-Custom');
    assert.equal((await preflight('DELETE')).status, 403);
  });

  it('sends mcp.instructions to MCP clients at initialize', async () => {
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const client = new Client({ name: 'compat-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers: { Origin: 'https://app.example.com' } } }));
    try {
      assert.equal(client.getInstructions(), 'Use get_items to list items.\n');
    } finally {
      await client.close();
    }
  });
});
