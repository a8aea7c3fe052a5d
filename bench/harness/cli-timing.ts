/**
 * Wall-clock time of one CLI command (`flapi validate`, `flapi build`), process start to
 * exit, the way a user experiences it.
 */
import { spawn } from 'node:child_process';

export interface CliTiming {
  command: string;
  ms: number;
  exitCode: number;
  /** Last line of the command's output, to say why it failed. */
  lastLine: string;
  /** The end of the output (up to 4000 characters). */
  output?: string;
}

export function timeCli(args: string[], cwd: string, timeoutMs = 120_000): Promise<CliTiming> {
  const command = ['flapi', ...args.slice(1)].join(' ');
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const lines = output.trim().split('\n');
      resolve({
        command,
        ms: performance.now() - started,
        exitCode: code ?? (signal ? 128 : 1),
        lastLine: (lines[lines.length - 1] ?? '').trim(),
        output,
      });
    });
  });
}
