/**
 * Graceful shutdown for a served app: on SIGTERM (what container platforms send) or
 * SIGINT, stop accepting, let in-flight requests finish, close DuckDB.
 */
import type { HttpServerHandle } from './http-server.js';

export interface CloseOnSignalOptions {
  signals?: readonly NodeJS.Signals[];
  /** Where to say what happens (default: stderr). */
  log?: (text: string) => void;
}

/** Resolves once a signal has arrived and the server has closed. */
export function closeOnSignal(handle: HttpServerHandle, options: CloseOnSignalOptions = {}): Promise<NodeJS.Signals> {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const log = options.log ?? ((text: string) => void process.stderr.write(text));
  return new Promise((resolve, reject) => {
    const stop = (signal: NodeJS.Signals): void => {
      for (const s of signals) process.off(s, stop);
      log(`${signal}: finishing in-flight requests\n`);
      handle.close().then(() => resolve(signal), reject);
    };
    for (const s of signals) process.on(s, stop);
  });
}
