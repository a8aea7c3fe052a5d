/**
 * `src/endpoints/<name>.ts`: one endpoint's types (`Params` from its validators, `Row`
 * from the dry-run's columns, `Response` as the JSON body the server sends) and its
 * `route`, which the server hands to the runtime to check against `manifest.json`.
 * The file holds no request logic: the runtime serves the endpoint from the manifest.
 */
import { StructureKind, VariableDeclarationKind, type Project, type StatementStructures } from 'ts-morph';
import type { EndpointSpec } from '../../runtime/manifest.js';
import type { BigintMode } from '../../runtime/serialize/wire-types.js';
import { docText } from './code-names.js';
import { columnType, paramDoc, paramType, propertyName, type SharedTypeName } from './ts-types.js';
import { objectLiteral, stringLiteral, tsFile } from './ts-project.js';

export function isPaged(endpoint: EndpointSpec): boolean {
  return endpoint.pagination && endpoint.operation.type === 'read';
}

function routeLiteral(endpoint: EndpointSpec): string {
  const params = endpoint.params.map(
    (p) => `{ name: ${stringLiteral(p.name)}, in: ${stringLiteral(p.in)}, required: ${p.required} }`,
  );
  return objectLiteral([
    ['name', stringLiteral(endpoint.name)],
    ['method', stringLiteral(endpoint.method)],
    ['path', stringLiteral(endpoint.urlPath ?? '')],
    ['pagination', String(isPaged(endpoint))],
    ['params', params.length === 0 ? '[]' : `[\n${params.map((p) => `${p},`).join('\n')}\n]`],
  ]);
}

function responseType(endpoint: EndpointSpec, uses: Set<string>): string {
  if (endpoint.operation.type === 'write' && !endpoint.operation.returnsData) {
    uses.add('WriteResult');
    return 'WriteResult';
  }
  if (isPaged(endpoint)) {
    uses.add('Page');
    return 'Page<Row>';
  }
  return 'Row[]';
}

export function endpointFile(project: Project, path: string, endpoint: EndpointSpec, bigint: BigintMode = 'auto'): string {
  const route = `${endpoint.method} ${endpoint.urlPath}`;
  const header = [
    `${route}${endpoint.description ? `: ${docText(endpoint.description)}` : ''}`,
    '',
    `Defined in ${endpoint.file}, template ${endpoint.template.file}.`,
  ].join('\n');
  const uses = new Set<string>(['Route']);
  const paged = isPaged(endpoint);
  if (paged) uses.add('PageParams');

  const params = endpoint.params.map((p) => ({
    name: propertyName(p.name),
    type: paramType(p),
    // A parameter with a default may be left out, as may any optional one.
    hasQuestionToken: !(p.required && p.default === undefined),
    docs: [docText(paramDoc(p))],
  }));
  const paramsType: StatementStructures =
    params.length > 0
      ? {
          kind: StructureKind.Interface,
          name: 'Params',
          isExported: true,
          docs: [`Request parameters of ${route}.`],
          extends: paged ? ['PageParams'] : [],
          properties: params,
        }
      : {
          kind: StructureKind.TypeAlias,
          name: 'Params',
          isExported: true,
          docs: [`${route} takes no parameters${paged ? ' besides paging' : ''}.`],
          type: paged ? 'PageParams' : 'Record<string, never>',
        };

  let rowType: StatementStructures;
  if (endpoint.columns.length > 0) {
    rowType = {
      kind: StructureKind.Interface,
      name: 'Row',
      isExported: true,
      docs: ['One result row as the server sends it (column types from the dry-run).'],
      properties: endpoint.columns.map((c) => {
        const type = columnType(c, bigint);
        for (const name of type.uses) uses.add(name);
        return { name: propertyName(c.name), type: type.text, docs: [docText(c.type)] };
      }),
    };
  } else {
    uses.add('JsonValue' satisfies SharedTypeName);
    rowType = {
      kind: StructureKind.TypeAlias,
      name: 'Row',
      isExported: true,
      docs: ['One result row; the dry-run could not describe its columns.'],
      type: 'Record<string, JsonValue>',
    };
  }
  const response = responseType(endpoint, uses);

  return tsFile(project, path, header, [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: '../types.js', isTypeOnly: true, namedImports: [...uses].sort() },
    paramsType,
    rowType,
    { kind: StructureKind.TypeAlias, name: 'Response', isExported: true, docs: ['The JSON body of a successful answer.'], type: response },
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      docs: ['Where the endpoint is and where each parameter goes; the server checks it against manifest.json at start.'],
      declarations: [{ name: 'route', initializer: `${routeLiteral(endpoint)} as const satisfies Route` }],
    },
  ]);
}
