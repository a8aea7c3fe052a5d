/**
 * `client/`: the typed client as a package of its own, with no dependencies, so a front
 * end installs it without the server (no DuckDB, no runtime). It is compiled from the
 * server's `src/client.ts` and the types it imports, which import nothing else; its
 * tsconfig knows only the DOM's `fetch`, so a Node-only import would fail the build.
 */
import { TYPESCRIPT_VERSION } from './package-json.js';

export function clientPackageName(packageName: string): string {
  return packageName.endsWith('-server') ? `${packageName.slice(0, -'-server'.length)}-client` : `${packageName}-client`;
}

export function clientPackageJson(packageName: string, projectName: string): string {
  const pkg = {
    name: clientPackageName(packageName),
    version: '1.0.0',
    private: true,
    description: `Typed fetch client for the ${projectName} API. No dependencies.`,
    type: 'module',
    sideEffects: false,
    exports: {
      '.': { types: './dist/client.d.ts', default: './dist/client.js' },
      './types': { types: './dist/types.d.ts', default: './dist/types.js' },
    },
    files: ['dist'],
    scripts: {
      build: 'tsc -p tsconfig.json',
      prepack: 'tsc -p tsconfig.json',
    },
    devDependencies: { typescript: TYPESCRIPT_VERSION },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

export function clientTsconfigJson(): string {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      // Browsers' globals only: the client must not need Node.
      lib: ['ES2023', 'DOM'],
      types: [],
      strict: true,
      declaration: true,
      rootDir: '../src',
      outDir: 'dist',
    },
    files: ['../src/client.ts'],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
