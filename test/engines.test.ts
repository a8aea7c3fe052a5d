/**
 * `engines.node` is a promise: every dependency the lockfile installs (which `npm ci` and
 * the packed npm-shrinkwrap.json install) supports every Node.js version in that range,
 * so no supported version gets an EBADENGINE warning; and the Node.js running the tests
 * is one of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import semver from 'semver';

interface LockEntry { version?: string; engines?: { node?: string } | string[] }
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as { packages: Record<string, LockEntry> };
const supported = pkg.engines.node;

test('the Node.js running the tests is a supported version', () => {
  assert.ok(semver.satisfies(process.version, supported), `${process.version} is outside engines.node ${supported}`);
});

test('every locked dependency supports the whole engines.node range', () => {
  const narrower: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
    if (path === '' || range === undefined) continue;
    if (!semver.validRange(range) || !semver.subset(supported, range)) narrower.push(`${path.replace(/^.*node_modules\//, '')}@${entry.version} needs node ${range}`);
  }
  assert.deepEqual(narrower, [], `these dependencies would warn EBADENGINE on part of ${supported}`);
});

test('the check sees a dependency that needs more than the range (it can fail)', () => {
  assert.equal(semver.subset(supported, '>=22'), false);
  assert.equal(semver.subset(supported, '>= 20.19.0'), true);
});
