import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { main } from '../cli/main.js';

async function stdoutOf(argv: string[]): Promise<{ code: number; out: string }> {
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string) => { out += chunk; return true; }) as typeof process.stdout.write;
  try {
    return { code: await main(['node', 'flapi', ...argv]), out };
  } finally {
    process.stdout.write = write;
  }
}

test('-v, -V and --version print the package version and exit 0', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  for (const flag of ['-v', '-V', '--version']) {
    assert.deepEqual(await stdoutOf([flag]), { code: 0, out: `${version}\n` }, flag);
  }
});

test('--help lists the version flag with both short forms', async () => {
  const { code, out } = await stdoutOf(['--help']);
  assert.equal(code, 0);
  assert.match(out, /-V, --version +print the version \(also -v\)/);
});
