#!/usr/bin/env node
// npm lifecycle steps that make `npm pack` / `npm publish` (and installs from git) produce an
// installable package.
//
//   prepack   a fresh dist/ (no compiled files of deleted sources), and npm-shrinkwrap.json
//             copied from package-lock.json: a global or devDependency install then gets the
//             dependency versions this repository is tested with, all of which support
//             every Node.js version in `engines`.
//   postpack  removes the generated npm-shrinkwrap.json again.
//
// A clone builds dist/ through the `dependencies` script (run by `npm ci`), not `prepare`:
// npm lists a `prepare` script of a package installed from a tarball as an install script
// awaiting approval, although it never runs there.
import { spawnSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shrinkwrap = join(root, 'npm-shrinkwrap.json');

/** `npm run build`: the compiled CLI and runtime, then the runtime's bundle. */
function build() {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const args of [[tsc, '-p', join(root, 'tsconfig.build.json')], [join(root, 'scripts', 'bundle-runtime.mjs')]]) {
    const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}

const step = process.argv[2];
if (step === 'prepack') {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  build();
  copyFileSync(join(root, 'package-lock.json'), shrinkwrap);
} else if (step === 'postpack') {
  rmSync(shrinkwrap, { force: true });
} else {
  process.stderr.write(`pack-lifecycle: unknown step ${String(step)} (prepack or postpack)\n`);
  process.exit(2);
}
