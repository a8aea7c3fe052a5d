/**
 * `src/server.ts`: the entry point of the built server. It loads the manifest that sits
 * next to the project, applies the environment, checks that the manifest is the one
 * the types were generated from, and starts the runtime; nothing else.
 */
import { StructureKind, VariableDeclarationKind, type Project } from 'ts-morph';
import { tsFile } from './ts-project.js';

/** Text safe inside a template literal. */
function templateText(text: string): string {
  return text.replace(/[\\`]/g, '\\$&').replace(/\$\{/g, '\\${');
}

export const RUNTIME_PACKAGE = '@flapi/runtime';

export function serverFile(project: Project, projectName: string): string {
  const header = [
    `Serves ${projectName} over HTTP on the flapi runtime.`,
    '',
    'Environment: PORT or FLAPI_PORT (port), FLAPI_HOST (bind address), FLAPI_DATABASE',
    '(DuckDB file or artifact URL), FLAPI_LOG_LEVEL (debug, info, warn, error). SIGTERM finishes',
    'in-flight requests.',
  ].join('\n');
  return tsFile(project, 'src/server.ts', header, [
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: RUNTIME_PACKAGE,
      namedImports: ['applyEnvironment', 'closeOnSignal', 'createJsonLogger', 'loadManifest', 'logLevelFromEnv', 'startServer', 'verifyRoutes'],
    },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: './endpoints/index.js', namedImports: ['routes'] },
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name: 'manifest', initializer: "applyEnvironment(loadManifest(new URL('../manifest.json', import.meta.url)), process.env)" }],
    },
    'verifyRoutes(manifest, routes);',
    '// JSON lines on stderr; FLAPI_LOG_LEVEL is debug, info, warn (or warning) or error, and anything else stops the start.',
    'const server = await startServer(manifest, { logger: createJsonLogger(logLevelFromEnv(process.env)) });',
    `process.stdout.write(\`${templateText(projectName)}: \${routes.length} endpoints at \${server.url}\\n\`);`,
    'await closeOnSignal(server);',
  ]);
}
