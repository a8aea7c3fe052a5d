/**
 * `src/lambda.ts`: the AWS Lambda entry point (handler `dist/lambda.handler`). The app and
 * its DuckDB instance are created once per container, while Lambda initialises it, and
 * reused by every warm invocation; the runtime's adapter turns API Gateway (REST v1,
 * HTTP v2) and Function URL events into requests for that app.
 */
import { StructureKind, VariableDeclarationKind, type Project } from 'ts-morph';
import { RUNTIME_PACKAGE } from './server-file.js';
import { tsFile } from './ts-project.js';

export function lambdaFile(project: Project, projectName: string): string {
  const header = [
    `AWS Lambda handler for ${projectName}: API Gateway HTTP API (payload 2.0), REST API (1.0)`,
    'and Function URL events. Configure the function with handler `dist/lambda.handler`.',
  ].join('\n');
  return tsFile(project, 'src/lambda.ts', header, [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: RUNTIME_PACKAGE, namedImports: ['applyEnvironment', 'createApp', 'loadManifest', 'verifyRoutes'] },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: `${RUNTIME_PACKAGE}/aws-lambda`, namedImports: ['createLambdaHandler', 'lambdaDefaults'] },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: './endpoints/index.js', namedImports: ['routes'] },
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      docs: ["DuckDB's temp and home directories go to /tmp, the only writable place on Lambda."],
      declarations: [
        {
          name: 'manifest',
          initializer: "lambdaDefaults(applyEnvironment(loadManifest(new URL('../manifest.json', import.meta.url)), process.env))",
        },
      ],
    },
    'verifyRoutes(manifest, routes);',
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      docs: ['Creates the app (and opens DuckDB) once per container, during init; warm invocations reuse it.'],
      declarations: [{ name: 'handler', initializer: 'createLambdaHandler(() => createApp(manifest))' }],
    },
  ]);
}
