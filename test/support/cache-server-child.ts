/**
 * A flapi server in a process of its own, for tests that kill it: compiles the project
 * folder given as the first argument and prints `{"url": ...}` once it listens.
 */
import { compileProject } from '../../cli/compile-project.js';
import { silentLogger, startServer } from '../../runtime/index.js';

const dir = process.argv[2];
const result = await compileProject({ dir, env: process.env, dryRun: false });
if (!result.manifest) {
  process.stderr.write(`${result.diagnostics.map((d) => d.message).join('\n')}\n`);
  process.exit(1);
}
const server = await startServer(result.manifest, { port: 0, logger: silentLogger });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
