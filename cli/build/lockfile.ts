/**
 * `package-lock.json` of the built project, written by npm itself (`npm install
 * --package-lock-only`: versions are resolved, nothing is installed), so the Dockerfile can
 * use `npm ci` and every image of one build gets the same dependencies. An existing lock
 * from an earlier build is updated, keeping the versions that still fit.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface LockfileResult {
  ok: boolean;
  /** What npm said when it failed (offline, no registry). */
  error?: string;
}

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export function writeLockfile(out: string, timeoutMs = 180_000): Promise<LockfileResult> {
  const args = ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
  return new Promise((resolve) => {
    execFile(NPM, args, { cwd: out, timeout: timeoutMs, shell: process.platform === 'win32' }, (err, _stdout, stderr) => {
      if (!err && existsSync(join(out, 'package-lock.json'))) return resolve({ ok: true });
      const said = (stderr || (err as Error | null)?.message || 'no package-lock.json was written').trim().split('\n').slice(0, 3).join(' ');
      resolve({ ok: false, error: said });
    });
  });
}
