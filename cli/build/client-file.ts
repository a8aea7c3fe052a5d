/**
 * `src/client.ts`: a typed `fetch` client with one function per endpoint. It depends on
 * nothing but `fetch` and the generated types, so it runs in browsers and in Node; it
 * sends parameters where each endpoint expects them (path, query, header, JSON body)
 * and throws a `FlapiError` carrying the status and the JSON error body.
 */
import { Scope, StructureKind, type Project } from 'ts-morph';
import type { EndpointSpec } from '../../runtime/manifest.js';
import { docText } from './code-names.js';
import { blankLine, objectLiteral, tsFile } from './ts-project.js';

export interface ClientEndpoint {
  endpoint: EndpointSpec;
  /** Client function name, e.g. `getFlightsById`. */
  functionName: string;
  /** Namespace the endpoint module is imported as, e.g. `GetFlightsById`. */
  moduleName: string;
  file: string;
}

const SEND = `async function send<T>(options: ClientOptions, route: Route, params: object, call: CallOptions = {}): Promise<T> {
  const values = params as Record<string, unknown>;
  const where = new Map(route.params.map((p) => [p.name, p.in]));
  const path = route.path
    .split('/')
    .map((segment) => {
      const name = segment.startsWith(':') ? segment.slice(1) : segment.startsWith('{') && segment.endsWith('}') ? segment.slice(1, -1) : undefined;
      if (name === undefined) return segment;
      const value = values[name];
      if (value === undefined || value === null) throw new TypeError(\`\${route.name}: the path parameter "\${name}" is required\`);
      return encodeURIComponent(String(value));
    })
    .join('/');
  const query = new URLSearchParams();
  const headers = headersFor(options, call);
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    // Undeclared names (limit, offset) are query parameters.
    const location = where.get(name) ?? 'query';
    if (location === 'query') query.append(name, String(value));
    else if (location === 'header') headers[name] = String(value);
    else if (location === 'body') body[name] = value;
  }
  const hasBody = route.params.some((p) => p.in === 'body');
  if (hasBody) headers['content-type'] = 'application/json';
  const search = query.toString();
  return request<T>(options, \`\${path}\${search ? \`?\${search}\` : ''}\`, {
    method: route.method,
    headers,
    ...(hasBody ? { body: JSON.stringify(body) } : {}),
    ...(call.signal ? { signal: call.signal } : {}),
  });
}`;

const NEXT_PAGE = `async function fetchNextPage<Row>(options: ClientOptions, page: Page<Row>, call: CallOptions = {}): Promise<Page<Row> | null> {
  if (page.next === null) return null;
  return request<Page<Row>>(options, page.next, {
    headers: headersFor(options, call),
    ...(call.signal ? { signal: call.signal } : {}),
  });
}`;

const HEADERS_FOR = `function headersFor(options: ClientOptions, call: CallOptions): Record<string, string> {
  return { accept: 'application/json', ...options.headers, ...call.headers };
}`;

const REQUEST = `async function request<T>(options: ClientOptions, pathAndQuery: string, init: RequestInit): Promise<T> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const url = options.baseUrl.replace(/\\/+$/, '') + pathAndQuery;
  const response = await fetchImpl(url, init);
  const text = await response.text();
  if (!response.ok) throw new FlapiError(response.status, errorBody(text), url);
  return JSON.parse(text) as T;
}`;

const ERROR_BODY = `function errorBody(text: string): ErrorBody {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object') return parsed as ErrorBody;
  } catch {
    // Not JSON (a proxy's error page, say): keep the text as the message.
  }
  return { error: text };
}`;

function functionFor(e: ClientEndpoint): string {
  const optional = !e.endpoint.params.some((p) => p.required && p.default === undefined);
  const param = optional ? `params: ${e.moduleName}.Params = {}` : `params: ${e.moduleName}.Params`;
  return `(${param}, call?: CallOptions): Promise<${e.moduleName}.Response> =>\nsend<${e.moduleName}.Response>(options, ${e.moduleName}.route, params, call)`;
}

function functionDoc(e: ClientEndpoint): string {
  const route = `${e.endpoint.method} ${e.endpoint.urlPath}`;
  return `/** ${route}${e.endpoint.description ? `: ${docText(e.endpoint.description)}` : ''} */`;
}

export function clientFile(project: Project, projectName: string, endpoints: readonly ClientEndpoint[]): string {
  const header = [
    `A typed client for ${projectName}: one function per endpoint.`,
    '',
    "  const api = createClient({ baseUrl: 'http://localhost:8080' });",
    endpoints[0] ? `  const rows = await api.${endpoints[0].functionName}(${endpoints[0].endpoint.params.some((p) => p.required && p.default === undefined) ? '{ ... }' : ''});` : '',
    '',
    'It needs only a global `fetch` (browsers, Node 18+), or the one given in the options.',
  ].join('\n');
  const members: [string, string][] = endpoints.map((e) => [`${functionDoc(e)}\n${e.functionName}`, functionFor(e)]);
  members.push([
    '/** The page after `page`, or null when it was the last. */\nnextPage',
    '<Row>(page: Page<Row>, call?: CallOptions): Promise<Page<Row> | null> => fetchNextPage(options, page, call)',
  ]);
  return tsFile(project, 'src/client.ts', header, [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: './types.js', isTypeOnly: true, namedImports: ['ErrorBody', 'Page', 'Route'] },
    ...endpoints.map((e) => ({ kind: StructureKind.ImportDeclaration as const, moduleSpecifier: `./endpoints/${e.file}.js`, namespaceImport: e.moduleName })),
    {
      kind: StructureKind.Interface,
      name: 'ClientOptions',
      isExported: true,
      properties: [
        { name: 'baseUrl', type: 'string', docs: ['Where the server is, e.g. `https://api.example.com`.'] },
        { name: 'fetch', type: 'typeof globalThis.fetch', hasQuestionToken: true, docs: ['Default: the global `fetch`.'] },
        { name: 'headers', type: 'Record<string, string>', hasQuestionToken: true, docs: ['Sent with every request, e.g. `Authorization`.'] },
      ],
    },
    {
      kind: StructureKind.Interface,
      name: 'CallOptions',
      isExported: true,
      docs: ['Per-call options.'],
      properties: [
        { name: 'headers', type: 'Record<string, string>', hasQuestionToken: true },
        { name: 'signal', type: 'AbortSignal', hasQuestionToken: true },
      ],
    },
    {
      kind: StructureKind.Class,
      name: 'FlapiError',
      isExported: true,
      extends: 'Error',
      docs: ['An answer other than 2xx: `status` and the JSON error body (`body.errors` lists the refused fields of a 400).'],
      ctors: [
        {
          parameters: [
            { name: 'status', type: 'number', isReadonly: true, scope: Scope.Public },
            { name: 'body', type: 'ErrorBody', isReadonly: true, scope: Scope.Public },
            { name: 'url', type: 'string', isReadonly: true, scope: Scope.Public },
          ],
          statements: [
            "super(`${status} from ${url}: ${body.error ?? body.errors?.map((e) => `${e.field}: ${e.message}`).join('; ') ?? 'request failed'}`);",
            "this.name = 'FlapiError';",
          ],
        },
      ],
    },
    {
      kind: StructureKind.Function,
      name: 'createClient',
      isExported: true,
      docs: ['A client for the server at `options.baseUrl`.'],
      parameters: [{ name: 'options', type: 'ClientOptions' }],
      statements: [`return ${objectLiteral(members)};`],
    },
    { kind: StructureKind.TypeAlias, name: 'Client', isExported: true, type: 'ReturnType<typeof createClient>' },
    ...[SEND, NEXT_PAGE, REQUEST, HEADERS_FOR, ERROR_BODY].flatMap((helper, i) => (i === 0 ? [helper] : [blankLine, helper])),
  ]);
}
