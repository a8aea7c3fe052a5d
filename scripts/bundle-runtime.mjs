#!/usr/bin/env node
// Bundles the compiled runtime (dist/runtime, from `tsc`) into dist/runtime/bundle: the
// JavaScript a built server loads (`flapi build` vendors it). A start then reads a few
// files instead of resolving and linking some five hundred modules of the runtime and its
// npm packages, which is most of what a cold start spends beyond opening DuckDB.
//
// Left out of the bundle, loaded from node_modules as before:
// - DuckDB's native binding (@duckdb/node-bindings loads the platform's .node file);
// - the packages of optional features (cli/build/optional-packages.ts), which a built
//   server installs only when its project uses the feature and imports only then.
// What the runtime imports dynamically (S3, MCP, Arrow, YAML, ...) becomes a chunk of its
// own, so it is read with the first request that needs it, not at start.
//
// bundle.json beside the bundle names the external packages with the version specifiers
// their importers declare: `flapi build` makes them the built project's dependencies.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'runtime');
const outdir = join(compiled, 'bundle');

/** Native code, which no bundle can hold. */
const NATIVE = ['@duckdb/node-bindings'];

const { OPTIONAL_FEATURES } = await import(pathToFileURL(join(root, 'dist', 'cli', 'build', 'optional-packages.js')).href);
const optional = OPTIONAL_FEATURES.flatMap((feature) => feature.packages);
const external = [...NATIVE, ...optional].flatMap((name) => [name, `${name}/*`]);

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The package.json of the npm package a bundled input file belongs to (or flapi's own). */
function ownerPackageJson(input) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return join(root, match ? match[1] : '', 'package.json');
}

/** The version specifier of `name` declared by the package that imports it. */
function declaredVersion(name, importer) {
  const pkg = JSON.parse(readFileSync(ownerPackageJson(importer), 'utf8'));
  const version = pkg.dependencies?.[name] ?? pkg.optionalDependencies?.[name] ?? pkg.peerDependencies?.[name];
  if (version === undefined) throw new Error(`bundle-runtime: ${importer} imports ${name}, which its package.json does not declare`);
  return version;
}

/**
 * JSON modules (mime-db's table of media types, for one) as `JSON.parse` of a string:
 * V8 reads JSON text several times faster than the same data as an object literal.
 */
const jsonAsText = {
  name: 'json-as-text',
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, (args) => ({
      contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8'))))});`,
      loader: 'js',
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { index: join(compiled, 'index.js'), 'aws-lambda': join(compiled, 'adapters', 'aws-lambda', 'index.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // Bundled CommonJS (Koa, pino, DuckDB's API) calls require(): give ES modules one.
  banner: { js: "import { createRequire as __flapiCreateRequire } from 'node:module';\nconst require = __flapiCreateRequire(import.meta.url);" },
  chunkNames: '[name]-[hash]',
  // The licences of bundled packages go to THIRD-PARTY-LICENSES.txt whole.
  legalComments: 'none',
  plugins: [jsonAsText],
  metafile: true,
  logLevel: 'warning',
});

/** Each bundled npm package once, with its licence text: their licences ask for it. */
function thirdPartyLicenses(inputs) {
  const owners = new Set();
  for (const path of Object.keys(inputs)) if (path.includes('node_modules/')) owners.add(dirname(ownerPackageJson(path)));
  const sections = [...owners].sort().map((dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
    const text = file !== undefined && existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim() : `License: ${pkg.license ?? 'see the package'}`;
    return `${pkg.name} ${pkg.version} (${pkg.license ?? 'unknown'})\n\n${text}\n`;
  });
  return `Packages bundled into the flapi runtime, with their licences.\n\n${sections.join(`\n${'-'.repeat(72)}\n\n`)}`;
}

writeFileSync(join(outdir, 'THIRD-PARTY-LICENSES.txt'), thirdPartyLicenses(result.metafile.inputs));

const externals = {};
for (const [path, input] of Object.entries(result.metafile.inputs)) {
  for (const imported of input.imports) {
    if (!imported.external || imported.path.startsWith('node:') || !/^[@a-z]/.test(imported.path)) continue;
    const name = packageOf(imported.path);
    if (!external.includes(name)) continue;
    externals[name] ??= declaredVersion(name, path);
  }
}
const sorted = Object.fromEntries(Object.entries(externals).sort(([a], [b]) => a.localeCompare(b)));
// The sources this build was made from, by content: `flapi build` refuses a bundle whose sources changed since.
const { runtimeSourcesHash } = await import(pathToFileURL(join(root, 'dist/cli/build/runtime-sources-hash.js')).href);
const sources = runtimeSourcesHash(join(root, 'runtime'));
writeFileSync(join(outdir, 'bundle.json'), `${JSON.stringify({ entries: ['index.js', 'aws-lambda.js'], external: sorted, sources }, null, 2)}\n`);
