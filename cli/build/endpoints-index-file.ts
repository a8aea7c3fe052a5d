/**
 * `src/endpoints/index.ts`: every endpoint module under one name each, and the list of
 * routes the entry points verify against the manifest.
 */
import { StructureKind, VariableDeclarationKind, type Project } from 'ts-morph';
import { tsFile } from './ts-project.js';

export interface EndpointModule {
  /** Namespace name, e.g. `GetFlightsById`. */
  name: string;
  /** File name without extension, e.g. `get-flights-id`. */
  file: string;
}

export function endpointsIndexFile(project: Project, modules: readonly EndpointModule[]): string {
  return tsFile(project, 'src/endpoints/index.ts', 'Every endpoint of the project, and the routes they were generated for.', [
    ...modules.map((m) => ({ kind: StructureKind.ImportDeclaration as const, moduleSpecifier: `./${m.file}.js`, namespaceImport: m.name })),
    { kind: StructureKind.ExportDeclaration, namedExports: modules.map((m) => m.name) },
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      docs: ['The route of every endpoint, in the order of the manifest.'],
      declarations: [{ name: 'routes', initializer: `[\n${modules.map((m) => `${m.name}.route,`).join('\n')}\n] as const` }],
    },
  ]);
}
