import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProject } from '../cli/build/index.js';

// The projects `flapi build` generates, checked in (as sqlc does): examples/flights, and a
// shop with parameters in every place, a write, bearer auth, declared NOT NULL keys and an
// MCP-only tool. `npm run golden:update` regenerates them; this test fails when one is
// stale, so every change to the generated code is reviewed. The vendored runtime and the
// copied data are not generated text and stay out.
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const UPDATE = 'npm run golden:update';
const PROJECTS = [
  { name: 'flights', dir: join(repo, 'examples', 'flights') },
  { name: 'shop', dir: join(repo, 'test', 'fixtures', 'build-shop') },
];

function goldenFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

for (const project of PROJECTS) test(`flapi build of ${project.name} matches test/golden/build/${project.name}`, async () => {
  const golden = join(repo, 'test', 'golden', 'build', project.name);
  const out = mkdtempSync(join(tmpdir(), 'flapi-build-golden-'));
  try {
    const result = await buildProject({ dir: project.dir, out, env: {} });
    assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
    const generated = new Map([...result.files].filter(([path]) => !path.startsWith('vendor/')));
    for (const [path, text] of generated) assert.equal(readFileSync(join(out, path), 'utf8'), text, `${path} on disk differs from the build result`);

    if (process.env.GOLDEN_UPDATE === '1') {
      rmSync(golden, { recursive: true, force: true });
      for (const [path, text] of generated) {
        mkdirSync(dirname(join(golden, path)), { recursive: true });
        writeFileSync(join(golden, path), text);
      }
    }
    const expected = goldenFiles(golden);
    assert.ok(expected.length > 0, `no build golden yet: run \`${UPDATE}\``);
    assert.deepEqual([...generated.keys()].sort(), expected, `the generated file list changed: review it, then run \`${UPDATE}\``);
    for (const [path, text] of generated) {
      const file = join('test', 'golden', 'build', project.name, path);
      assert.equal(text, readFileSync(join(repo, file), 'utf8'), `${file} is stale: review the diff, then run \`${UPDATE}\``);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
