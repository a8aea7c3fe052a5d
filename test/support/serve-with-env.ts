/**
 * Serves a manifest file in a child process, as a built server does: the environment
 * applied, the URL printed as one JSON line once listening, SIGTERM to stop. Used where a
 * test needs process-level settings (NODE_EXTRA_CA_CERTS) or a true cold start.
 */
import { readFileSync } from 'node:fs';
import { applyEnvironment, startServer, type Manifest } from '../../runtime/index.js';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: serve-with-env.ts manifest.json');
const manifest = applyEnvironment(JSON.parse(readFileSync(file, 'utf8')) as Manifest);
try {
  const server = await startServer(manifest, { port: 0 });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
