#!/usr/bin/env node
// The CLI ships compiled: `npm pack` builds dist/ into the package, and `npm ci` in a clone
// builds it through the `prepare` script.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  process.stderr.write(`flapi: the compiled CLI (dist/) is missing from ${root}; in a clone run \`npm ci\` (or \`npm run build\`) there, or install a package made by \`npm pack\`.\n`);
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
