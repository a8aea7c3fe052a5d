import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileProject } from '../cli/compile-project.js';

// The manifest of examples/flights, checked in. `npm run golden:update` regenerates it;
// this test fails when it is stale, so every change to the compiler's output is reviewed.
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const golden = join(repo, 'test', 'golden', 'flights.manifest.json');
const REPO_PLACEHOLDER = '<repo>';

/** Absolute paths depend on the checkout; everything else must match byte for byte. */
function portable(value: unknown): unknown {
  if (typeof value === 'string') return value.split(repo).join(REPO_PLACEHOLDER);
  if (Array.isArray(value)) return value.map(portable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, portable(v)]));
  }
  return value;
}

test('the manifest of examples/flights matches test/golden/flights.manifest.json', async () => {
  const result = await compileProject({ dir: join(repo, 'examples', 'flights'), env: {} });
  assert.deepEqual(result.diagnostics, []);
  const actual = `${JSON.stringify(portable(result.manifest), null, 2)}\n`;
  if (process.env.GOLDEN_UPDATE === '1') {
    mkdirSync(dirname(golden), { recursive: true });
    writeFileSync(golden, actual);
  }
  assert.ok(existsSync(golden), 'no golden manifest yet: run `npm run golden:update`');
  const expected = readFileSync(golden, 'utf8');
  assert.equal(actual, expected, 'the flights manifest changed: review the diff, then run `npm run golden:update`');
});
