import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// Every example ships as documentation of what works, so each one must pass `validate`
// through the real CLI, exactly as a user runs it.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'flapi.js');
const examplesDir = join(root, 'examples');

const examples = readdirSync(examplesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(examplesDir, entry.name, 'flapi.yaml')))
  .map((entry) => join(examplesDir, entry.name));

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function validate(dir: string, cwd: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'validate', dir], { cwd, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

test('there is at least one example project', () => {
  assert.ok(examples.length > 0, `no folder with a flapi.yaml under ${examplesDir}`);
});

for (const dir of examples) {
  const name = relative(root, dir);

  test(`flapi validate ${name} exits 0`, async () => {
    const result = await validate(name, root);
    assert.equal(result.code, 0, `validate failed:\n${result.stdout}${result.stderr}`);
  });

  // Paths in an example resolve against its flapi.yaml, never against the working directory.
  test(`flapi validate ${name} exits 0 from another working directory`, async () => {
    const result = await validate(dir, examplesDir);
    assert.equal(result.code, 0, `validate failed from ${examplesDir}:\n${result.stdout}${result.stderr}`);
  });
}
