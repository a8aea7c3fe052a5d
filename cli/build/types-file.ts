/**
 * `src/types.ts`: the JSON shapes every endpoint shares (wide integers, pages, error
 * bodies, route descriptors). It imports nothing, so the client built on it runs in a
 * browser as well as in Node.
 */
import { StructureKind, type Project } from 'ts-morph';
import { tsFile } from './ts-project.js';

export function typesFile(project: Project, projectName: string): string {
  return tsFile(project, 'src/types.ts', `JSON shapes shared by the endpoints of ${projectName}.`, [
    {
      kind: StructureKind.TypeAlias,
      name: 'WideInteger',
      isExported: true,
      type: 'number | string',
      docs: ['A BIGINT, UBIGINT or HUGEINT value: a number within ±2^53, otherwise its exact decimal text.'],
    },
    {
      kind: StructureKind.TypeAlias,
      name: 'JsonValue',
      isExported: true,
      type: 'null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }',
      docs: ['Any JSON value: columns of type JSON, or of a type with no closer description.'],
    },
    {
      kind: StructureKind.Interface,
      name: 'PageParams',
      isExported: true,
      docs: ['Paging parameters every paginated endpoint accepts.'],
      properties: [
        { name: 'limit', type: 'number', hasQuestionToken: true, docs: ['Rows per page (the server applies its default and maximum).'] },
        { name: 'offset', type: 'number', hasQuestionToken: true, docs: ['Rows to skip.'] },
      ],
    },
    {
      kind: StructureKind.Interface,
      name: 'Page',
      isExported: true,
      typeParameters: ['Row'],
      docs: ['One page of a paginated endpoint.'],
      properties: [
        { name: 'data', type: 'Row[]' },
        { name: 'next', type: 'string | null', docs: ['Path and query of the next page; null on the last one.'] },
        { name: 'total_count', type: 'number | null', docs: ['Rows in all pages; null when the template pages by itself.'] },
      ],
    },
    {
      kind: StructureKind.Interface,
      name: 'WriteResult',
      isExported: true,
      docs: ['The answer of a write endpoint that returns no rows.'],
      properties: [{ name: 'rows_affected', type: 'number' }],
    },
    {
      kind: StructureKind.Interface,
      name: 'FieldError',
      isExported: true,
      docs: ['One refused parameter of a 400 answer.'],
      properties: [
        { name: 'field', type: 'string' },
        { name: 'message', type: 'string' },
      ],
    },
    {
      kind: StructureKind.Interface,
      name: 'ErrorBody',
      isExported: true,
      docs: ['The JSON body of an error answer: `errors` for a 400, `error` (and a `request_id` for a 500) otherwise.'],
      properties: [
        { name: 'error', type: 'string', hasQuestionToken: true },
        { name: 'errors', type: 'FieldError[]', hasQuestionToken: true },
        { name: 'request_id', type: 'string', hasQuestionToken: true },
      ],
    },
    {
      kind: StructureKind.TypeAlias,
      name: 'HttpMethod',
      isExported: true,
      type: "'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'",
    },
    {
      kind: StructureKind.Interface,
      name: 'RouteParam',
      isExported: true,
      properties: [
        { name: 'name', type: 'string', isReadonly: true },
        { name: 'in', type: "'query' | 'path' | 'body' | 'header'", isReadonly: true },
        { name: 'required', type: 'boolean', isReadonly: true },
      ],
    },
    {
      kind: StructureKind.Interface,
      name: 'Route',
      isExported: true,
      docs: ['What the generated code knows about one endpoint: where it is and where each parameter goes.'],
      properties: [
        { name: 'name', type: 'string', isReadonly: true },
        { name: 'method', type: 'HttpMethod', isReadonly: true },
        { name: 'path', type: 'string', isReadonly: true },
        { name: 'pagination', type: 'boolean', isReadonly: true },
        { name: 'params', type: 'readonly RouteParam[]', isReadonly: true },
      ],
    },
  ]);
}
