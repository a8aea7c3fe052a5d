/**
 * `flapi dev` in a child process for the fuzz test: a crash must show as the process
 * exiting, not as the test runner dying with it. The tail of its output is kept so a
 * failure can show what the server said last.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const CLI = new URL('../../bin/flapi.js', import.meta.url).pathname;
const TAIL_BYTES = 16 * 1024;

export interface FuzzServer {
  readonly url: string;
  /** Why the process ended, or undefined while it runs. */
  exited(): string | undefined;
  /** The last lines it wrote (stdout and stderr). */
  tail(): string;
  stop(): Promise<void>;
}

export async function startFuzzServer(project: string, env: Record<string, string>): Promise<FuzzServer> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'dev', project, '--port', '0', '--no-watch'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  let exit: string | undefined;
  const keep = (d: Buffer): void => {
    output = (output + d.toString()).slice(-TAIL_BYTES);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('exit', (code, signal) => (exit = `exited with ${signal ?? `code ${code}`}`));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`flapi dev did not start:\n${output}`)), 30_000);
    const look = (): void => {
      const match = /serving at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', look);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', look);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`flapi dev ${exit}:\n${output}`));
    });
  });

  return {
    url,
    exited: () => exit,
    tail: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exit !== undefined) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
