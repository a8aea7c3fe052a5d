/**
 * The runtime travels inside the built project as a local package
 * (`vendor/flapi-runtime`, referenced by `file:`), so the project installs and runs on a
 * machine that reaches only the npm registry. Its JavaScript is the bundle `npm run build`
 * makes of the compiled runtime (scripts/bundle-runtime.mjs): the runtime and the npm
 * packages it always needs, in a few files, so a server starts without resolving hundreds
 * of modules. Beside it are the runtime's type declarations, one per module, for the
 * generated code to compile against. The packages the bundle leaves out (DuckDB's native
 * binding, the SDKs of optional features) become the built project's dependencies; those
 * the declarations name become its devDependencies.
 */
import { filesUnder, runtimeSourcesHash } from './runtime-sources-hash.js';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { ts } from 'ts-morph';
import { packageRoot } from '../config/package-root.js';

export const VENDOR_DIR = 'vendor/flapi-runtime';

/** Where the bundle sits, in dist/runtime and in the vendored package alike. */
export const BUNDLE_DIR = 'bundle';

export interface VendoredRuntime {
  /** Files to copy: absolute source → path relative to the vendored package. */
  files: { from: string; to: string }[];
  /** npm packages the bundle imports at run time, with the version specifiers their importers declare. */
  dependencies: Record<string, string>;
  /**
   * What the runtime's declarations need to compile against: a package's `@types/*` where
   * flapi uses one, else the package itself (its code is bundled, its types are not).
   */
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

/** bundle.json, written by scripts/bundle-runtime.mjs. */
interface BundleInfo {
  entries: string[];
  external: Record<string, string>;
  /** runtimeSourcesHash of the sources the build was made from. */
  sources?: string;
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

const REBUILD = (root: string) => `run \`npm run build\` in ${root}`;

/** Declarations (and the docs page's files) from the sources. */
function declarationFiles(sources: string, compiled: string): { from: string; to: string }[] {
  const files: { from: string; to: string }[] = [];
  for (const source of filesUnder(sources)) {
    const rel = relative(sources, source);
    if (!rel.endsWith('.ts') || rel.endsWith('.d.ts')) {
      files.push({ from: source, to: rel });
      continue;
    }
    const base = rel.slice(0, -3);
    files.push({ from: join(compiled, `${base}.d.ts`), to: `${base}.d.ts` });
  }
  return files;
}

function bundleFiles(compiled: string, sources: string, root: string): { files: { from: string; to: string }[]; info: BundleInfo } {
  const dir = join(compiled, BUNDLE_DIR);
  const infoFile = join(dir, 'bundle.json');
  if (!existsSync(infoFile)) throw new Error(`the bundled runtime is missing (${dir}); ${REBUILD(root)}`);
  const info = JSON.parse(readFileSync(infoFile, 'utf8')) as BundleInfo;
  if (existsSync(sources) && info.sources !== runtimeSourcesHash(sources)) {
    throw new Error(`the built runtime is older than its sources (runtime/ changed since the last build); ${REBUILD(root)}`);
  }
  const files = filesUnder(dir).filter((f) => f !== infoFile).map((from) => ({ from, to: join(BUNDLE_DIR, relative(dir, from)) }));
  return { files, info };
}

/**
 * The runtime of this flapi installation, bundled and declared. Built from `runtime/` by
 * `npm run build` (which `npm install` runs); a build whose recorded sources differ from
 * `runtime/` (cli/build/runtime-sources-hash.ts) is stale, and copying it would ship old code.
 */
export function vendoredRuntime(root = packageRoot()): VendoredRuntime {
  const compiled = join(root, 'dist', 'runtime');
  const sources = join(root, 'runtime');
  if (!existsSync(join(compiled, 'index.js'))) {
    throw new Error(`the compiled runtime is missing (${compiled}); ${REBUILD(root)}`);
  }
  const bundle = bundleFiles(compiled, sources, root);
  const declarations = existsSync(sources)
    ? declarationFiles(sources, compiled)
    : filesUnder(compiled).filter((f) => f.endsWith('.d.ts')).map((from) => ({ from, to: relative(compiled, from) }));

  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  const known = { ...pkg.devDependencies, ...pkg.dependencies };
  const typeDependencies: Record<string, string> = {};
  const typed = importedPackages(declarations.filter((f) => f.to.endsWith('.d.ts')).map((f) => f.from));
  for (const name of [...typed, 'node']) {
    if (name in bundle.info.external) continue;
    const types = `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;
    if (known[types] !== undefined) typeDependencies[types] = known[types];
    else if (known[name] !== undefined) typeDependencies[name] = known[name];
  }
  return {
    files: [...bundle.files, ...declarations],
    dependencies: sorted(bundle.info.external),
    typeDependencies: sorted(typeDependencies),
    version: pkg.version,
    nodeEngines: pkg.engines?.node ?? '>=20.19',
  };
}

/** package.json of the vendored runtime: no dependencies of its own, the project provides them. */
export function vendorPackageJson(version: string): string {
  const pkg = {
    name: '@flapi/runtime',
    version,
    private: true,
    description: 'The flapi runtime, bundled, with its type declarations. The packages it leaves out are declared by the project that vendors it.',
    type: 'module',
    license: 'Apache-2.0',
    exports: {
      '.': { types: './index.d.ts', default: `./${BUNDLE_DIR}/index.js` },
      './aws-lambda': { types: './adapters/aws-lambda/index.d.ts', default: `./${BUNDLE_DIR}/aws-lambda.js` },
    },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
