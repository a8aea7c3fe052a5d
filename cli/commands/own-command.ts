import { existsSync, realpathSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import { packageRoot } from '../config/package-root.js';

/** Quotes a shell word only when it needs it. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

function realpath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The command that runs this installation of the CLI again from the current shell:
 * `flapi` when the `flapi` on PATH is this one (a global install), `npx flapi` when npm ran
 * it (a project devDependency: node_modules/.bin is on PATH only inside npm), else `node`
 * with the path of bin/flapi.js (a clone that was never linked).
 */
export function ownCommand(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const bin = join(packageRoot(), 'bin', 'flapi.js');
  const self = realpath(bin);
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '' || dir.includes(join('node_modules', '.bin'))) continue;
    const candidate = join(dir, 'flapi');
    if (existsSync(candidate) && realpath(candidate) === self) return 'flapi';
  }
  if (env.npm_command === 'exec') return 'npx flapi';
  const rel = relative(cwd, bin);
  return `node ${shellWord(rel.length < bin.length ? rel : bin)}`;
}
