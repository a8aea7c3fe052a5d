import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { run as init } from '../cli/commands/init.js';
import { validate } from '../cli/commands/validate.js';
import { ownCommand } from '../cli/commands/own-command.js';
import { packageRoot } from '../cli/config/package-root.js';

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
    assert.equal(schema, 'node_modules/flapi-cli/schemas/flapi.schema.json', 'relative, into the devDependency the README installs');
    const endpointSchema = /^# yaml-language-server: \$schema=(.+)$/m.exec(readFileSync(join(dir, 'sqls/airports.yaml'), 'utf8'))?.[1];
    assert.equal(endpointSchema, '../node_modules/flapi-cli/schemas/endpoint.schema.json');
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

test('flapi init points $schema at the nearest installed package, relative to each file', async () => {
  const root = mkdtempSync(join(tmpdir(), 'flapi-init-'));
  try {
    mkdirSync(join(root, 'node_modules'));
    symlinkSync(packageRoot(), join(root, 'node_modules', 'flapi-cli'), 'dir');
    const dir = join(root, 'apis', 'my-api');
    const { value: code } = await silenced(() => init(dir, {}));
    assert.equal(code, 0);
    for (const [file, name] of [['flapi.yaml', 'flapi'], ['sqls/airports.yaml', 'endpoint']] as const) {
      const schema = /^# yaml-language-server: \$schema=(.+)$/m.exec(readFileSync(join(dir, file), 'utf8'))?.[1] ?? '';
      assert.ok(!isAbsolute(schema), `${file}: ${schema} is relative`);
      assert.ok(schema.endsWith(`node_modules/flapi-cli/schemas/${name}.schema.json`), schema);
      assert.ok(existsSync(join(dirname(join(dir, file)), schema)), `${file}: ${schema} resolves from the file`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('flapi init prints next steps that run this installation', async () => {
  const root = mkdtempSync(join(tmpdir(), 'flapi-init-'));
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string) => { out += chunk; return true; }) as typeof process.stdout.write;
  try {
    assert.equal(await init(join(root, 'my api'), {}), 0);
  } finally {
    process.stdout.write = write;
    rmSync(root, { recursive: true, force: true });
  }
  const next = out.slice(out.indexOf('Next:')).split('\n').slice(1, 4).map((l) => l.trim());
  assert.deepEqual(next, ['validate', 'test', 'dev'].map((c) => `${ownCommand()} ${c} '${join(root, 'my api')}'`));
});

test('the printed command is flapi when PATH has this installation, npx flapi under npm exec, else node bin/flapi.js', () => {
  const root = mkdtempSync(join(tmpdir(), 'flapi-path-'));
  try {
    const bin = join(packageRoot(), 'bin', 'flapi.js');
    mkdirSync(join(root, 'global-bin'));
    symlinkSync(bin, join(root, 'global-bin', 'flapi'));
    mkdirSync(join(root, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(bin, join(root, 'node_modules', '.bin', 'flapi'));
    mkdirSync(join(root, 'other-bin'));
    writeFileSync(join(root, 'other-bin', 'flapi'), '#!/bin/sh\n');
    assert.equal(ownCommand({ PATH: [join(root, 'other-bin'), join(root, 'global-bin')].join(delimiter) }), 'flapi');
    const npx = { PATH: join(root, 'node_modules', '.bin'), npm_command: 'exec' };
    assert.equal(ownCommand(npx), 'npx flapi', 'node_modules/.bin is on PATH only while npm runs');
    assert.equal(ownCommand({ PATH: join(root, 'other-bin') }, packageRoot()), 'node bin/flapi.js');
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
