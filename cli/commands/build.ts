import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildProject } from '../build/index.js';
import { formatDiagnostic } from '../diagnostics/index.js';

export interface BuildCommandOptions {
  out?: string;
  config?: string;
  /** Commander's `--no-data`. */
  data?: boolean;
  /** Commander's `--no-lockfile`. */
  lockfile?: boolean;
}

/**
 * `flapi build [dir] --out DIR`: validate (any error fails the build) and write a
 * standalone, typed server project. Exit 0 built, 1 project errors, 2 usage or output problems.
 */
export async function run(dir: string | undefined, options: BuildCommandOptions = {}): Promise<number> {
  if (!options.out) {
    process.stderr.write('flapi build: say where to write the project with --out DIR\n');
    return 2;
  }
  let result;
  try {
    result = await buildProject({ dir: dir ?? '.', out: options.out, config: options.config, copyData: options.data !== false, lockfile: options.lockfile !== false });
  } catch (e) {
    process.stderr.write(`flapi build: ${(e as Error).message}\n`);
    return 2;
  }
  for (const d of result.diagnostics) (d.severity === 'error' ? process.stderr : process.stdout).write(`${formatDiagnostic(d)}\n`);
  if (!result.ok) {
    process.stderr.write('✗ flapi build: the project has errors; nothing was written\n');
    return 1;
  }
  for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
  const shown = relative(process.cwd(), result.out) || '.';
  const target = shown.startsWith('..') ? result.out : shown;
  process.stdout.write(
    `✓ built ${result.endpointCount} endpoint${result.endpointCount === 1 ? '' : 's'} into ${target} in ${Math.round(result.durationMs)} ms\n` +
      `  (${result.files.size} files${result.dataCopies.length > 0 ? `, ${result.dataCopies.length} data file${result.dataCopies.length === 1 ? '' : 's'} copied` : ''})\n\n` +
      `Next:\n  cd ${target}\n  ${existsSync(join(result.out, 'package-lock.json')) ? 'npm ci' : 'npm install'}\n  npm run build\n  npm start\n`,
  );
  return 0;
}
