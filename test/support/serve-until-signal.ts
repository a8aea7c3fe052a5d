/**
 * A server in its own process that shuts down as a built server does (closeOnSignal):
 * `node --import tsx test/support/serve-until-signal.ts manifest.json` prints
 * `listening <url>`, and on SIGTERM prints `closed` once the server has closed.
 */
import { readFileSync } from 'node:fs';
import { closeOnSignal, silentLogger, startServer } from '../../runtime/index.js';
import type { Manifest } from '../../runtime/manifest.js';

const manifest = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Manifest;
const handle = await startServer(manifest, { port: 0, logger: silentLogger });
process.stdout.write(`listening ${handle.url}\n`);
await closeOnSignal(handle, { log: () => {} });
process.stdout.write('closed\n');
