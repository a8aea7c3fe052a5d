/**
 * A server in its own process, for tests that need several instances (shared rate limits):
 * `node --import tsx test/support/serve-manifest.ts manifest.json` prints `listening <url>`
 * and serves until SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { silentLogger, startServer } from '../../runtime/index.js';
import type { Manifest } from '../../runtime/manifest.js';

const manifest = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Manifest;
const handle = await startServer(manifest, { port: 0, logger: silentLogger });
process.stdout.write(`listening ${handle.url}\n`);
process.on('SIGTERM', () => {
  void handle.close().then(() => process.exit(0));
});
