/**
 * `src/endpoints/<name>.ts`: one endpoint's types (`Params` from its validators, `Row`
 * from the dry-run's columns, `Response` as the JSON body the server sends) and its
 * `route`, which the server hands to the runtime to check against `manifest.json`.
 * The file holds no request logic: the runtime serves the endpoint from the manifest.
 */
import type { Project } from 'ts-morph';
import { VariableDeclarationKind } from 'ts-morph';
import type { EndpointSpec } from '../../runtime/manifest.js';
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

export function endpointFile(project: Project, path: string, endpoint: EndpointSpec): string {
  const route = `${endpoint.method} ${endpoint.urlPath}`;
  const header = [
    `${route}${endpoint.description ? `: ${docText(endpoint.description)}` : ''}`,
    '',
    `Defined in ${endpoint.file}, template ${endpoint.template.file}.`,
  ].join('\n');
  return tsFile(project, path, header, (file) => {
    const uses = new Set<string>(['Route']);
    const paged = isPaged(endpoint);
    // Declarations are added after the import, whose names are known only once they are built.
    const imports = file.addImportDeclaration({ moduleSpecifier: '../types.js', isTypeOnly: true, namedImports: ['Route'] });

    const params = endpoint.params.map((p) => ({
      name: propertyName(p.name),
      type: paramType(p),
      // A parameter with a default may be left out, as may any optional one.
      hasQuestionToken: !(p.required && p.default === undefined),
      docs: [docText(paramDoc(p))],
    }));
    if (paged) uses.add('PageParams');
    if (params.length > 0) {
      file.addInterface({
        name: 'Params',
        isExported: true,
        docs: [`Request parameters of ${route}.`],
        ...(paged ? { extends: ['PageParams'] } : {}),
        properties: params,
      });
    } else {
      file.addTypeAlias({
        name: 'Params',
        isExported: true,
        docs: [`${route} takes no parameters${paged ? ' besides paging' : ''}.`],
        type: paged ? 'PageParams' : 'Record<string, never>',
      });
    }

    if (endpoint.columns.length > 0) {
      file.addInterface({
        name: 'Row',
        isExported: true,
        docs: ['One result row as the server sends it (column types from the dry-run).'],
        properties: endpoint.columns.map((c) => {
          const type = columnType(c);
          for (const name of type.uses) uses.add(name);
          return { name: propertyName(c.name), type: type.text, docs: [docText(c.type)] };
        }),
      });
    } else {
      uses.add('JsonValue' satisfies SharedTypeName);
      file.addTypeAlias({
        name: 'Row',
        isExported: true,
        docs: ['One result row; the dry-run could not describe its columns.'],
        type: 'Record<string, JsonValue>',
      });
    }

    file.addTypeAlias({
      name: 'Response',
      isExported: true,
      docs: ['The JSON body of a successful answer.'],
      type: responseType(endpoint, uses),
    });

    file.addVariableStatement({
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      docs: ['Where the endpoint is and where each parameter goes; the server checks it against manifest.json at start.'],
      declarations: [{ name: 'route', initializer: `${routeLiteral(endpoint)} as const satisfies Route` }],
    });

    imports.removeNamedImports();
    imports.addNamedImports([...uses].sort());
    imports.setIsTypeOnly(true);
  });
}
