/**
 * `package.json` of the built project: the vendored runtime by `file:`, those of the
 * runtime's npm dependencies the project's features use (never the compiler's: no
 * ts-morph, commander or chokidar; see optional-packages.ts), and a pinned TypeScript
 * for `npm run build`, which also builds the standalone client in `client/`.
 */
import { kebabCase } from './code-names.js';
import { VENDOR_DIR, type VendoredRuntime } from './vendor-runtime.js';

/** The TypeScript the generated code is compiled and checked with. */
export const TYPESCRIPT_VERSION = '5.9.3';

export interface PackageJsonInput {
  projectName: string;
  description?: string;
  runtime: Pick<VendoredRuntime, 'typeDependencies' | 'version' | 'nodeEngines'>;
  /** npm dependencies besides the runtime itself. */
  dependencies: Record<string, string>;
}

export function packageJsonName(projectName: string): string {
  return `${kebabCase(projectName)}-server`;
}

export function packageJson(input: PackageJsonInput): string {
  const pkg = {
    name: packageJsonName(input.projectName),
    version: '1.0.0',
    private: true,
    description: input.description ?? `The ${input.projectName} API, served by flapi.`,
    type: 'module',
    engines: { node: input.runtime.nodeEngines },
    exports: {
      './client': { types: './dist/client.d.ts', default: './dist/client.js' },
      './types': { types: './dist/types.d.ts', default: './dist/types.js' },
      './lambda': { types: './dist/lambda.d.ts', default: './dist/lambda.js' },
    },
    scripts: {
      build: 'tsc -p tsconfig.json && tsc -p client/tsconfig.json',
      'build:server': 'tsc -p tsconfig.json',
      typecheck: 'tsc -p tsconfig.json --noEmit',
      start: 'node dist/server.js',
    },
    dependencies: {
      '@flapi/runtime': `file:${VENDOR_DIR}`,
      ...input.dependencies,
    },
    devDependencies: {
      ...input.runtime.typeDependencies,
      typescript: TYPESCRIPT_VERSION,
    },
    flapi: { version: input.runtime.version, project: input.projectName },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

export function tsconfigJson(): string {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2023'],
      types: ['node'],
      strict: true,
      noImplicitOverride: true,
      noFallthroughCasesInSwitch: true,
      // The vendored runtime's declarations are checked when flapi is built.
      skipLibCheck: true,
      declaration: true,
      outDir: 'dist',
      rootDir: 'src',
    },
    include: ['src/**/*.ts'],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
