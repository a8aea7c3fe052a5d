#!/usr/bin/env node
// The CLI ships compiled; `npm install` runs `prepare`, which builds dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('flapi: dist/ is missing; run `npm run build` in the flapi package first.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
