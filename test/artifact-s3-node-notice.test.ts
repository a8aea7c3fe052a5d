/**
 * Node.js 20 is a supported line (README, "Node.js versions"), so the AWS SDK's notice that
 * its 2027 releases need Node.js 22 is not printed by an s3:// artifact store; it is turned
 * off with the variable AWS documents for it, and only on Node.js 20.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const SCRIPT = `
const warnings = [];
process.on('warning', (w) => warnings.push(String(w.message)));
const { S3Store } = await import('./runtime/artifact/s3-store.ts');
new S3Store({ kind: 's3', bucket: 'b', key: 'k.duckdb' }, { forcePathStyle: true, pollIntervalMs: 60000, downloadDir: '.' });
await new Promise((resolve) => setTimeout(resolve, 50));
console.log(JSON.stringify({ warnings, variable: process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ?? null }));
`;

function run(env: NodeJS.ProcessEnv): { warnings: string[]; variable: string | null } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], { encoding: 'utf8', env });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as { warnings: string[]; variable: string | null };
}

test('an S3 artifact store prints no Node.js support notice on a supported Node.js', () => {
  const env = { ...process.env };
  delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  const { warnings, variable } = run(env);
  assert.deepEqual(warnings.filter((w) => w.includes('NodeVersionSupportWarning')), []);
  assert.equal(variable, process.versions.node.startsWith('20.') ? 'true' : null, 'set on Node.js 20 only');
});

test('a value the user set is kept', () => {
  assert.equal(run({ ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' }).variable, 'false');
});
