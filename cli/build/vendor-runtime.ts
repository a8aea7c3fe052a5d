/**
 * The runtime travels inside the built project as a local package
 * (`vendor/flapi-runtime`, referenced by `file:`), compiled to JavaScript with its type
 * declarations, so the project installs and runs on a machine that reaches only the npm
 * registry. Its npm dependencies are those its compiled modules import, pinned as in
 * flapi's own package.json, and become the built project's dependencies.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { ts } from 'ts-morph';
import { packageRoot } from '../config/package-root.js';

export const VENDOR_DIR = 'vendor/flapi-runtime';

export interface VendoredRuntime {
  /** Files to copy: absolute source → path relative to the vendored package. */
  files: { from: string; to: string }[];
  /** npm dependencies of the runtime, with flapi's version specifiers. */
  dependencies: Record<string, string>;
  /** `@types/*` packages the runtime's declarations need to compile against. */
  typeDependencies: Record<string, string>;
  version: string;
  /** flapi's own `engines.node`: the built project supports what the runtime does. */
  nodeEngines: string;
}

interface PackageJson {
  version: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out.sort();
}

const BUILTINS = new Set(builtinModules);

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; undefined for Node built-ins. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]!)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function importedPackages(files: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const file of files) {
    // The compiler's own scanner: import and export specifiers, dynamic imports, never comments.
    for (const imported of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (imported.fileName.startsWith('.')) continue;
      const name = packageOf(imported.fileName);
      if (name !== undefined) found.add(name);
    }
  }
  return found;
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The compiled runtime of this flapi installation. Built from `runtime/` by `npm run build`
 * (which `npm install` runs); a compiled module older than its source means the build is
 * stale, and copying it would ship old code.
 */
export function vendoredRuntime(root = packageRoot()): VendoredRuntime {
  const compiled = join(root, 'dist', 'runtime');
  const sources = join(root, 'runtime');
  if (!existsSync(join(compiled, 'index.js'))) {
    throw new Error(`the compiled runtime is missing (${compiled}); run \`npm run build\` in ${root}`);
  }
  const files: { from: string; to: string }[] = [];
  const stale: string[] = [];
  if (existsSync(sources)) {
    for (const source of filesUnder(sources)) {
      const rel = relative(sources, source);
      if (!rel.endsWith('.ts') || rel.endsWith('.d.ts')) {
        files.push({ from: source, to: rel });
        continue;
      }
      const base = rel.slice(0, -3);
      const js = join(compiled, `${base}.js`);
      if (!existsSync(js) || statSync(js).mtimeMs < statSync(source).mtimeMs) stale.push(rel);
      files.push({ from: js, to: `${base}.js` }, { from: join(compiled, `${base}.d.ts`), to: `${base}.d.ts` });
    }
  } else {
    for (const file of filesUnder(compiled)) {
      if (file.endsWith('.js') || file.endsWith('.d.ts')) files.push({ from: file, to: relative(compiled, file) });
    }
  }
  if (stale.length > 0) {
    throw new Error(`the compiled runtime is older than its sources (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', ...' : ''}); run \`npm run build\` in ${root}`);
  }

  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  const known = { ...pkg.devDependencies, ...pkg.dependencies };
  const dependencies: Record<string, string> = {};
  for (const name of importedPackages(files.filter((f) => f.to.endsWith('.js')).map((f) => f.from))) {
    const version = known[name];
    if (version === undefined) throw new Error(`the runtime imports "${name}", which is not a dependency in ${join(root, 'package.json')}`);
    dependencies[name] = version;
  }
  const typeDependencies: Record<string, string> = {};
  const typed = importedPackages(files.filter((f) => f.to.endsWith('.d.ts')).map((f) => f.from));
  for (const name of [...typed, 'node']) {
    const types = `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;
    const version = pkg.devDependencies?.[types] ?? pkg.dependencies?.[types];
    if (version !== undefined) typeDependencies[types] = version;
  }
  return { files, dependencies: sorted(dependencies), typeDependencies: sorted(typeDependencies), version: pkg.version, nodeEngines: pkg.engines?.node ?? '>=20.19' };
}

/** package.json of the vendored runtime: no dependencies of its own, the project provides them. */
export function vendorPackageJson(version: string): string {
  const pkg = {
    name: '@flapi/runtime',
    version,
    private: true,
    description: 'The flapi runtime, compiled. Its npm dependencies are declared by the project that vendors it.',
    type: 'module',
    license: 'Apache-2.0',
    exports: {
      '.': { types: './index.d.ts', default: './index.js' },
      './aws-lambda': { types: './adapters/aws-lambda/index.d.ts', default: './adapters/aws-lambda/index.js' },
    },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
