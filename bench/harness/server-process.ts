/**
 * One server under test as a child process on a loopback port: spawned, polled until a
 * chosen path answers 200 (that wait is its start-up time), and stopped with SIGTERM.
 * Its peak memory is read just before it stops, while /proc still has it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freeLoopbackPort } from './free-port.js';
import { treePeakRssMib } from './process-memory.js';

export interface LaunchSpec {
  /** Arguments to `node` (script and its flags). */
  args: string[];
  env?: Record<string, string>;
  cwd: string;
  /** Path polled until it answers 200. */
  readyPath: string;
  startTimeoutMs: number;
}

export interface RunningServer {
  readonly pid: number;
  readonly baseUrl: string;
  /** Spawn to first 200 on the ready path, in milliseconds. */
  readonly startupMs: number;
  /** Peak resident memory of the process tree so far, in MiB. */
  peakRssMib(): number | undefined;
  stop(): Promise<void>;
}

const OUTPUT_TAIL_CHARS = 4000;

async function answers200(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function launchServer(spec: LaunchSpec, portFlag: (port: number) => string[]): Promise<RunningServer> {
  const port = await freeLoopbackPort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, [...spec.args, ...portFlag(port)], {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env, PORT: String(port), FLAPI_PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 10_000))) {
      child.kill('SIGKILL');
      await waitForExit(child, 2_000);
    }
  };

  const deadline = started + spec.startTimeoutMs;
  while (!(await answers200(baseUrl + spec.readyPath))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited (${child.exitCode ?? child.signalCode}) before answering: ${output.trim().slice(-600)}`);
    }
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`no 200 on ${spec.readyPath} within ${spec.startTimeoutMs} ms: ${output.trim().slice(-600)}`);
    }
    await sleep(25);
  }
  const startupMs = performance.now() - started;
  const pid = child.pid ?? -1;
  return { pid, baseUrl, startupMs, peakRssMib: () => treePeakRssMib(pid), stop };
}
