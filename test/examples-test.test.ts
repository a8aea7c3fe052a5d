import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// Every example's own test cases must pass through the real CLI, as in CI.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'flapi.js');
const examplesDir = join(root, 'examples');

const examples = readdirSync(examplesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(examplesDir, entry.name, 'flapi.yaml')))
  .map((entry) => join(examplesDir, entry.name));

function flapiTest(dir: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'test', dir], { cwd: root, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, output: stdout + stderr });
    });
  });
}

for (const dir of examples) {
  const name = relative(root, dir);
  test(`flapi test ${name} passes every case`, async () => {
    const result = await flapiTest(name);
    assert.equal(result.code, 0, `flapi test failed:\n${result.output}`);
    assert.match(result.output, /\b[1-9]\d* passed, 0 failed\b/, `no test case ran:\n${result.output}`);
  });
}
