import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { run as init } from '../cli/commands/init.js';
import { validate } from '../cli/commands/validate.js';

function silenced<T>(fn: () => Promise<T>): Promise<{ value: T; stderr: string }> {
  const write = process.stderr.write.bind(process.stderr);
  const out = process.stdout.write.bind(process.stdout);
  let stderr = '';
  process.stderr.write = ((chunk: string) => { stderr += chunk; return true; }) as typeof process.stderr.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  return fn().then(
    (value) => ({ value, stderr }),
  ).finally(() => {
    process.stderr.write = write;
    process.stdout.write = out;
  });
}

test('flapi init scaffolds a project that passes validate as created', async () => {
  const root = mkdtempSync(join(tmpdir(), 'flapi-init-'));
  const dir = join(root, 'my-api');
  try {
    const { value: code } = await silenced(() => init(dir, {}));
    assert.equal(code, 0);
    for (const file of ['flapi.yaml', 'sqls/airports.yaml', 'sqls/airports.sql', 'tests/airports.test.yaml', 'data/airports.csv', '.gitignore']) {
      assert.ok(existsSync(join(dir, file)), `${file} is written`);
    }
    const config = readFileSync(join(dir, 'flapi.yaml'), 'utf8');
    const schema = /^# yaml-language-server: \$schema=(.+)$/m.exec(config)?.[1];
    assert.ok(schema && existsSync(schema), `the $schema comment points at a real file: ${schema}`);
    assert.equal((parse(config) as { 'project-name': string })['project-name'], 'my-api');
    const cases = parse(readFileSync(join(dir, 'tests/airports.test.yaml'), 'utf8')) as { cases: { endpoint: string; expect: { status: number } }[] };
    assert.ok(cases.cases.length >= 2 && cases.cases.every((c) => c.endpoint === '/airports' && c.expect.status > 0));

    let output = '';
    const io = { stdout: (t: string) => { output += t; }, stderr: (t: string) => { output += t; } };
    assert.equal(await validate(dir, {}, io), 0, output);
    assert.match(output, /✓ 1 endpoint, 0 errors, 0 warnings/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('flapi init refuses a folder that is not empty unless --force', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flapi-init-'));
  try {
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const refused = await silenced(() => init(dir, {}));
    assert.equal(refused.value, 1);
    assert.match(refused.stderr, /is not empty; .*--force/);
    assert.equal(existsSync(join(dir, 'flapi.yaml')), false, 'nothing is written');
    const forced = await silenced(() => init(dir, { force: true }));
    assert.equal(forced.value, 0);
    assert.ok(existsSync(join(dir, 'flapi.yaml')));
    assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'mine');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
