import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ProjectEnvironment } from '../cli/config/environment.js';
import { substituteText } from '../cli/config/substitute.js';
import { originOf } from '../cli/config/source-text.js';
import { YamlDocument } from '../cli/config/yaml-document.js';
import type { Diagnostic } from '../cli/diagnostics/diagnostic.js';

function withFolder(files: Record<string, string>, fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'flapi-subst-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function substitute(dir: string, text: string, env: Record<string, string>, whitelist = ['^APP_.*']) {
  const diagnostics: Diagnostic[] = [];
  const files = new Set<string>();
  const file = join(dir, 'flapi.yaml');
  const source = substituteText(file, text, { env: new ProjectEnvironment(whitelist, env), diagnostics, files });
  return { source, diagnostics, files, file };
}

test('{{env.NAME}} is replaced only for whitelisted names, case-insensitively', () => {
  withFolder({}, (dir) => {
    const { source, diagnostics } = substitute(dir, 'a: {{env.APP_HOST}}\nb: {{env.app_port}}\n', { APP_HOST: 'db.local', app_port: '5432' });
    assert.deepEqual(parse(source.text), { a: 'db.local', b: 5432 });
    assert.equal(diagnostics.length, 0);
  });
});

test('a non-whitelisted {{env.NAME}} is an error at its column that says to extend the whitelist', () => {
  withFolder({}, (dir) => {
    const { source, diagnostics, file } = substitute(dir, 'x: 1\npassword: {{env.DB_PASSWORD}}\n', { DB_PASSWORD: 'hunter2' });
    assert.equal(parse(source.text).password, null, 'the value must not leak into the config');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual({ ...diagnostics[0], message: undefined }, { severity: 'error', file, line: 2, column: 11, code: 'env-not-whitelisted', message: undefined });
    assert.match(diagnostics[0]!.message, /DB_PASSWORD is not whitelisted; add a pattern matching it .* `template.environment-whitelist`/);
  });
});

test('an empty whitelist allows no variable; full-line comments are left alone', () => {
  withFolder({}, (dir) => {
    const { source, diagnostics } = substitute(dir, '# uses {{env.HOME}}\na: "{{env.HOME}}"\n', { HOME: '/root' }, []);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.line, 2);
    assert.match(source.text, /^# uses \{\{env.HOME\}\}/);
  });
});

test('{{include from f}} splices the whole file and keeps each line\'s origin', () => {
  withFolder({ 'common/auth.yaml': 'auth:\n  enabled: true\n  type: basic\n' }, (dir) => {
    const { source, diagnostics, files } = substitute(dir, 'project-name: x\n{{include from common/auth.yaml}}\nhttp-port: 1\n', {});
    assert.equal(diagnostics.length, 0);
    assert.deepEqual(parse(source.text), { 'project-name': 'x', auth: { enabled: true, type: 'basic' }, 'http-port': 1 });
    assert.ok(files.has(join(dir, 'common/auth.yaml')));
    const typeLine = source.text.split('\n').findIndex((l) => l.includes('type: basic')) + 1;
    assert.deepEqual(originOf(source, typeLine, 3), { file: join(dir, 'common/auth.yaml'), line: 3, column: 3 });
    const portLine = source.text.split('\n').findIndex((l) => l.startsWith('http-port')) + 1;
    assert.deepEqual(originOf(source, portLine, 1), { file: join(dir, 'flapi.yaml'), line: 3, column: 1 });
  });
});

test('{{include:key from f}} takes one top-level key, re-indented where the directive stands', () => {
  withFolder({ 'parts.yaml': 'other: 1\nrequest:\n  - field-name: id\n    field-in: path\nmore: 2\n' }, (dir) => {
    const { source, diagnostics } = substitute(dir, 'endpoint:\n  url-path: /x/:id\n  {{include:request from parts.yaml}}\n', {});
    assert.equal(diagnostics.length, 0);
    assert.deepEqual(parse(source.text), { endpoint: { 'url-path': '/x/:id', request: [{ 'field-name': 'id', 'field-in': 'path' }] } });
    const line = source.text.split('\n').findIndex((l) => l.includes('field-in')) + 1;
    assert.deepEqual(originOf(source, line, 7), { file: join(dir, 'parts.yaml'), line: 4, column: 5 });
  });
});

test('`key: {{include from f}}` nests the included mapping under key', () => {
  withFolder({ 'conn.yaml': 'main:\n  init: SELECT 1\n' }, (dir) => {
    const { source } = substitute(dir, 'connections: {{include from conn.yaml}}\n', {});
    assert.deepEqual(parse(source.text), { connections: { main: { init: 'SELECT 1' } } });
  });
});

test('if env.X / if !env.X decide whether an include happens', () => {
  withFolder({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 2\n' }, (dir) => {
    const text = '{{include from a.yaml if env.APP_PROD}}\n{{include from b.yaml if !env.APP_PROD}}\n';
    assert.deepEqual(parse(substitute(dir, text, { APP_PROD: '1' }).source.text), { a: 1 });
    assert.deepEqual(parse(substitute(dir, text, {}).source.text), { b: 2 });
    assert.deepEqual(parse(substitute(dir, text, { APP_PROD: '' }).source.text), { b: 2 });
    const refused = substitute(dir, '{{include from a.yaml if env.SECRET}}\n', { SECRET: 'x' });
    assert.equal(refused.diagnostics[0]?.code, 'env-not-whitelisted');
  });
});

test('include paths are relative to the including file, also when nested', () => {
  withFolder({ 'common/one.yaml': '{{include from two.yaml}}\n', 'common/two.yaml': 'deep: true\n' }, (dir) => {
    const { source, diagnostics } = substitute(dir, '{{include from common/one.yaml}}\n', {});
    assert.equal(diagnostics.length, 0);
    assert.deepEqual(parse(source.text), { deep: true });
  });
});

test('missing include files, missing sections and cycles are errors at the directive', () => {
  withFolder({ 'loop.yaml': '{{include from loop.yaml}}\n', 'x.yaml': 'a: 1\n' }, (dir) => {
    const missing = substitute(dir, 'a: 1\n  {{include from nope.yaml}}\n', {});
    assert.deepEqual([missing.diagnostics[0]!.code, missing.diagnostics[0]!.line, missing.diagnostics[0]!.column], ['include-missing', 2, 3]);
    const section = substitute(dir, '{{include:b from x.yaml}}\n', {});
    assert.equal(section.diagnostics[0]!.code, 'include-section');
    const cycle = substitute(dir, '{{include from loop.yaml}}\n', {});
    assert.equal(cycle.diagnostics[0]!.code, 'include-cycle');
  });
});

test('YamlDocument.locate reports nodes of included text at the included file and line', () => {
  withFolder({ 'req.yaml': 'request:\n  - field-name: id\n    validators:\n      - type: int\n        min: 9\n' }, (dir) => {
    const { source, file } = substitute(dir, 'url-path: /a\n{{include:request from req.yaml}}\n', {});
    const doc = new YamlDocument(file, source);
    assert.deepEqual(doc.locate(['request', 0, 'validators', 0, 'min']), { file: join(dir, 'req.yaml'), line: 5, column: 14 });
    assert.deepEqual(doc.locate(['url-path']), { file, line: 1, column: 11 });
    assert.deepEqual(doc.locate(['url-path'], 'key'), { file, line: 1, column: 1 });
  });
});
