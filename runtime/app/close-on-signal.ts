/**
 * Graceful shutdown for a served app: on SIGTERM (what container platforms send) or
 * SIGINT, stop accepting and let in-flight requests finish, but for no longer than the
 * deadline (`limits.shutdown-timeout`, default 10 s): then running queries are
 * interrupted and connections closed. DuckDB is closed and the process exits, even if
 * something (a client that never reads, a stuck socket) would otherwise keep it alive.
 */
import type { HttpServerHandle } from './http-server.js';

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
const FORCE_AFTER_MS = 5000;

export interface CloseOnSignalOptions {
  signals?: readonly NodeJS.Signals[];
  /** Where to say what happens (default: stderr). */
  log?: (text: string) => void;
  /** How long in-flight requests may finish (default: the manifest's `limits.shutdown-timeout`, else 10 s). */
  deadlineMs?: number;
  /** Exit the process once closed (default true; an embedding app may want to exit itself). */
  exit?: boolean;
}

/** Resolves once a signal has arrived and the server has closed. */
export function closeOnSignal(handle: HttpServerHandle, options: CloseOnSignalOptions = {}): Promise<NodeJS.Signals> {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const log = options.log ?? ((text: string) => void process.stderr.write(text));
  return new Promise((resolve, reject) => {
    const stop = (signal: NodeJS.Signals): void => {
      for (const s of signals) process.off(s, stop);
      const deadline = options.deadlineMs ?? handle.current.manifest.server.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
      log(`${signal}: finishing in-flight requests (at most ${deadline} ms)\n`);
      if (options.exit !== false) {
        // Past the deadline, closing gets a few seconds more for interrupted queries to unwind.
        setTimeout(() => {
          log(`${signal}: still closing ${deadline + FORCE_AFTER_MS} ms after the signal; exiting\n`);
          process.exit(1);
        }, deadline + FORCE_AFTER_MS).unref();
      }
      handle.close(deadline).then(
        () => {
          resolve(signal);
          // Whatever still holds the event loop (a stuck client, a timer) must not keep a stopped server alive.
          if (options.exit !== false) setTimeout(() => process.exit(process.exitCode ?? 0), 100).unref();
        },
        reject,
      );
    };
    for (const s of signals) process.on(s, stop);
  });
}
