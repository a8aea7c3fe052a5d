import { devLogger } from '../dev/dev-logger.js';
import { startDevSession } from '../dev/dev-session.js';

export interface DevOptions {
  config?: string;
  port?: string;
  host?: string;
  watch?: boolean;
  logLevel?: string;
}

/**
 * `flapi dev [dir]`: serve the project and reload on every change. SIGTERM or SIGINT
 * stops accepting connections, lets in-flight requests finish and closes DuckDB.
 */
export async function run(dir: string, options: DevOptions): Promise<number> {
  let session;
  try {
    const { logLevel, ...rest } = options;
    session = await startDevSession({ dir, ...rest, logger: devLogger({ ...(logLevel !== undefined ? { level: logLevel } : {}) }) });
  } catch (e) {
    process.stderr.write(`flapi dev: ${(e as Error).message}\n`);
    return 1;
  }
  const active = session;
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      process.stderr.write(`flapi dev: ${signal}, finishing in-flight requests\n`);
      active.close().then(resolve, (e: unknown) => {
        process.stderr.write(`flapi dev: shutdown failed: ${(e as Error).message}\n`);
        resolve();
      });
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  return 0;
}
