import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { packageName, packageRoot } from '../config/package-root.js';
import { ownCommand, shellWord } from './own-command.js';

export interface InitOptions {
  force?: boolean;
}

/** Files in templates/init whose name a package manager would drop, stored without the dot. */
const RENAMES: Record<string, string> = { gitignore: '.gitignore' };

/** `flapi init [dir]`: a project that validates, tests and serves as created. */
export async function run(dir: string | undefined, options: InitOptions = {}): Promise<number> {
  const target = resolve(dir ?? '.');
  if (existsSync(target) && readdirSync(target).length > 0 && !options.force) {
    process.stderr.write(`flapi init: ${target} is not empty; choose an empty or new folder, or pass --force to write into it\n`);
    return 1;
  }
  const written = scaffold(target);
  const flapi = ownCommand();
  const where = shellWord(dir ?? '.');
  process.stdout.write(`Created a flapi project in ${target}:\n${written.map((f) => `  ${f}\n`).join('')}\n` +
    `Next:\n  ${flapi} validate ${where}\n  ${flapi} test ${where}\n  ${flapi} dev ${where}\n`);
  return 0;
}

/** Copies templates/init into `target` and the sample data next to it; returns the files written. */
export function scaffold(target: string): string[] {
  const source = join(packageRoot(), 'templates', 'init');
  const written: string[] = [];
  const projectName = basename(target).replace(/[^A-Za-z0-9_-]+/g, '-') || 'flapi-project';
  for (const file of filesUnder(source)) {
    const rel = relative(source, file);
    const name = RENAMES[basename(rel)] ?? basename(rel);
    const out = join(target, dirname(rel), name);
    mkdirSync(dirname(out), { recursive: true });
    const text = readFileSync(file, 'utf8')
      .replaceAll('__SCHEMAS__', schemaReference(target, dirname(out)))
      .replaceAll('__PROJECT_NAME__', projectName);
    writeFileSync(out, text);
    written.push(relative(target, out));
  }
  const data = join(target, 'data', 'airports.csv');
  mkdirSync(dirname(data), { recursive: true });
  copyFileSync(airportsCsv(), data);
  written.push(relative(target, data));
  return written.sort();
}

/**
 * Where editors find the schemas, relative to the file so the project can move between
 * machines: the package's `schemas/` under the nearest node_modules that holds it (a
 * devDependency of this project or of a folder above it), or this package's own folder when
 * the project is inside it. Otherwise the project's own node_modules, where
 * `npm install -D <package>` puts them (docs/configuration.md, "Editor support").
 */
function schemaReference(project: string, fileDir: string): string {
  const name = packageName();
  const own = packageRoot();
  let found: string | undefined;
  for (let dir = project; found === undefined; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, 'schemas');
    if (existsSync(candidate)) found = candidate;
    else if (dir === own) found = join(own, 'schemas');
    if (dirname(dir) === dir) break;
  }
  return relative(fileDir, found ?? join(project, 'node_modules', name, 'schemas')).split(sep).join('/');
}

/** airports.csv from the vega-datasets dependency, wherever the package manager put it. */
function airportsCsv(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('vega-datasets');
  let dir = dirname(entry);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'data', 'airports.csv');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}
