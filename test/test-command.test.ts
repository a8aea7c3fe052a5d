import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const CLI = new URL('../bin/flapi.js', import.meta.url).pathname;
const FIXTURE = new URL('./fixtures/flapi-test', import.meta.url).pathname;

function flapi(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, out: result.stdout + result.stderr };
}

describe('flapi test', () => {
  const work = mkdtempSync(join(tmpdir(), 'flapi-test-cmd-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  function copyProject(): string {
    const dir = mkdtempSync(join(work, 'p-'));
    cpSync(FIXTURE, dir, { recursive: true });
    return dir;
  }

  it('runs cases on fixtures (CSV and inline rows) instead of the sources', () => {
    const { code, out } = flapi('test', copyProject());
    assert.equal(code, 0, out);
    assert.match(out, /✓ every person from the CSV fixture/);
    assert.match(out, /✓ inline rows replace the source/);
    assert.match(out, /^4 passed, 0 failed$/m);
  });

  it('leaves out the declared indexes with the init they follow: a table only init makes is not indexed', () => {
    const dir = copyProject();
    const config = join(dir, 'flapi.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('    init: |\n', '    indexes:\n      people_log: [id]\n    init: |\n      CREATE TABLE people_log AS SELECT 1 AS id;\n'));
    const { code, out } = flapi('test', dir);
    assert.equal(code, 0, out);
    assert.match(out, /^4 passed, 0 failed$/m);
  });

  it('fails with a readable diff when an expected row is wrong', () => {
    const dir = copyProject();
    const file = join(dir, 'tests/people.test.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('{ id: 2, name: Grace, city: Arlington }', '{ id: 2, name: Grace, city: Boston }'));
    const { code, out } = flapi('test', dir);
    assert.equal(code, 1, out);
    assert.match(out, /✗ every person from the CSV fixture/);
    assert.match(out, /row 2 {2}- expected \{"id":2,"name":"Grace","city":"Boston"\}/);
    assert.match(out, /row 2 {2}\+ actual {3}\{"id":2,"name":"Grace","city":"Arlington"\}/);
    assert.match(out, /^3 passed, 1 failed$/m);
  });

  it('writes JUnit XML for CI', () => {
    const dir = copyProject();
    const file = join(dir, 'tests/inline.test.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}  - name: a status that will not come\n    endpoint: /people\n    expect: { status: 404 }\n`);
    const report = join(dir, 'report.xml');
    const { code, out } = flapi('test', dir, '--reporter', 'junit', '--output', report);
    assert.equal(code, 1, out);
    const xml = readFileSync(report, 'utf8');
    assert.match(xml, /<testsuites name="flapi" tests="5" failures="1">/);
    assert.match(xml, /<testcase name="a status that will not come"[^>]*>\s*<failure message="status: expected 404, got 200/);
  });

  it('--update rewrites expected rows so the next run passes', () => {
    const dir = copyProject();
    const file = join(dir, 'tests/people.test.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('{ id: 3, name: Edsger, city: Rotterdam }', '{ id: 3, name: Someone, city: Else }'));
    const updated = flapi('test', dir, '--update');
    assert.equal(updated.code, 0, updated.out);
    assert.match(updated.out, /updated the expected rows of 1 case/);
    assert.match(updated.out, /✓ every person from the CSV fixture/, 'the report is of the run after the update');
    assert.match(updated.out, /^4 passed, 0 failed$/m);
    assert.match(readFileSync(file, 'utf8'), /\{ id: 3, name: Edsger, city: Rotterdam \}/);
    const rerun = flapi('test', dir);
    assert.equal(rerun.code, 0, rerun.out);
  });

  it('--update still fails, and reports after updating, while a case it cannot fix fails', () => {
    const dir = copyProject();
    const people = join(dir, 'tests/people.test.yaml');
    writeFileSync(people, readFileSync(people, 'utf8').replace('{ id: 3, name: Edsger, city: Rotterdam }', '{ id: 3, name: Someone, city: Else }'));
    const inline = join(dir, 'tests/inline.test.yaml');
    writeFileSync(inline, `${readFileSync(inline, 'utf8')}  - name: a status that will not come\n    endpoint: /people\n    expect: { status: 404 }\n`);
    const updated = flapi('test', dir, '-u');
    assert.equal(updated.code, 1, updated.out);
    assert.match(updated.out, /updated the expected rows of 1 case/);
    assert.match(updated.out, /✓ every person from the CSV fixture/);
    assert.match(updated.out, /✗ a status that will not come/);
    assert.match(updated.out, /^4 passed, 1 failed$/m);
  });

  it('reports a malformed test file with its line', () => {
    const dir = copyProject();
    writeFileSync(join(dir, 'tests/broken.test.yaml'), 'cases:\n  - name: no endpoint\n    expect: { status: 200 }\n');
    const { code, out } = flapi('test', dir);
    assert.equal(code, 1, out);
    assert.match(out, /broken\.test\.yaml:2:\d+ +error +case 1 needs `endpoint:`/);
  });
});
