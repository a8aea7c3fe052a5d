/**
 * The OpenAPI 3.1 document of a manifest: one operation per HTTP endpoint, parameters with
 * their validators as JSON Schema, row schemas from the dry-run column types, the paginated
 * envelope, every response format of a read, and the error bodies the runtime sends.
 */
import type { AuthSpec, EndpointSpec, Manifest, ParamSpec } from '../manifest.js';
import { endpointAuth } from '../security/effective-auth.js';
import { paginationParams } from '../params/index.js';
import { CONTENT_TYPES, RESPONSE_FORMATS } from '../formats/index.js';
import { rowSchema } from './column-schema.js';
import type { JsonSchema } from './json-schema.js';
import { paramSchema } from './param-schema.js';

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, JsonSchema>;
    securitySchemes?: Record<string, JsonSchema>;
  };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });

/** `/flights/:id` → `/flights/{id}`. */
export function openApiPath(urlPath: string): string {
  return urlPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function pathParamNames(urlPath: string): string[] {
  return [...urlPath.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => (m[1] ?? m[2])!);
}

/** `get_flights_id` → `GetFlightsId`, unique within the document. */
function schemaName(endpoint: EndpointSpec, taken: Set<string>): string {
  const base = endpoint.name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('') || 'Endpoint';
  let name = `${base}Row`;
  for (let i = 2; taken.has(name); i++) name = `${base}Row${i}`;
  taken.add(name);
  return name;
}

function parameterObject(param: ParamSpec): JsonSchema {
  const object: JsonSchema = {
    name: param.name,
    in: param.in,
    required: param.in === 'path' ? true : param.required,
    schema: paramSchema(param),
  };
  if (param.description) object.description = param.description;
  return object;
}

function isRead(endpoint: EndpointSpec): boolean {
  return endpoint.operation.type === 'read';
}

function parameters(endpoint: EndpointSpec, manifest: Manifest): JsonSchema[] {
  const declared = endpoint.params.filter((p) => p.in !== 'body');
  const names = new Set(declared.map((p) => `${p.in}:${p.name}`));
  const out = declared.map(parameterObject);
  for (const name of pathParamNames(endpoint.urlPath ?? '')) {
    if (!names.has(`path:${name}`)) out.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  if (endpoint.pagination && isRead(endpoint)) {
    for (const param of paginationParams(manifest.server)) {
      if (!names.has(`query:${param.name}`)) out.push(parameterObject(param));
    }
  }
  if (isRead(endpoint)) {
    out.push({
      name: 'format',
      in: 'query',
      required: false,
      description: 'Response format; overrides the Accept header.',
      schema: { type: 'string', enum: [...RESPONSE_FORMATS], default: 'json' },
    });
  }
  return out;
}

function requestBody(endpoint: EndpointSpec): JsonSchema | undefined {
  const body = endpoint.params.filter((p) => p.in === 'body');
  if (body.length === 0) return undefined;
  const properties: Record<string, JsonSchema> = {};
  for (const p of body) properties[p.name] = p.description ? { ...paramSchema(p), description: p.description } : paramSchema(p);
  const required = body.filter((p) => p.required).map((p) => p.name);
  const schema: JsonSchema = { type: 'object', properties };
  if (required.length > 0) schema.required = required;
  if (endpoint.requestFieldsValidation) schema.additionalProperties = false;
  return { required: required.length > 0, content: { 'application/json': { schema } } };
}

function successResponse(endpoint: EndpointSpec, rowRef: JsonSchema): JsonSchema {
  if (!isRead(endpoint)) {
    const schema = endpoint.operation.returnsData
      ? { type: 'array', items: rowRef }
      : { type: 'object', properties: { rows_affected: { type: 'integer' } }, required: ['rows_affected'] };
    return { description: 'Done.', content: { 'application/json': { schema } } };
  }
  const rows = { type: 'array', items: rowRef };
  const json = endpoint.pagination ? ref('Page') : rows;
  const jsonSchema = endpoint.pagination
    ? { allOf: [json, { type: 'object', properties: { data: rows } }] }
    : json;
  const binary = { type: 'string', contentMediaType: 'application/octet-stream' };
  const content: Record<string, JsonSchema> = {
    [CONTENT_TYPES.json.split(';')[0]!]: { schema: jsonSchema },
    [CONTENT_TYPES.csv.split(';')[0]!]: { schema: { type: 'string' } },
    [CONTENT_TYPES.ndjson.split(';')[0]!]: { schema: { type: 'string', description: 'One JSON row per line.' } },
    [CONTENT_TYPES.arrow]: { schema: binary },
    [CONTENT_TYPES.parquet]: { schema: binary },
  };
  const result: JsonSchema = { description: 'The rows.', content };
  if (endpoint.pagination) {
    result.headers = { 'X-Total-Count': { description: 'Rows in all pages.', schema: { type: 'integer' } } };
  }
  return result;
}

function authOf(endpoint: EndpointSpec, manifest: Manifest): AuthSpec | undefined {
  return endpointAuth(endpoint, manifest)?.method;
}

function securitySchemeName(auth: AuthSpec): string {
  return auth.type === 'api-key' ? 'apiKey' : auth.type === 'basic' ? 'basicAuth' : 'bearerAuth';
}

function securityScheme(auth: AuthSpec): JsonSchema {
  switch (auth.type) {
    case 'basic':
      return { type: 'http', scheme: 'basic' };
    case 'api-key': {
      const header = auth.apiKey?.header ?? 'X-API-Key';
      return { type: 'apiKey', in: 'header', name: header };
    }
    default:
      return { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' };
  }
}

function operation(endpoint: EndpointSpec, manifest: Manifest, rowName: string, schemes: Record<string, JsonSchema>): JsonSchema {
  const op: JsonSchema = {
    operationId: endpoint.name,
    summary: endpoint.description?.split('\n')[0] ?? `${endpoint.method} ${endpoint.urlPath}`,
    parameters: parameters(endpoint, manifest),
  };
  if (endpoint.description) op.description = endpoint.description;
  const body = requestBody(endpoint);
  if (body) op.requestBody = body;
  const responses: Record<string, JsonSchema> = {
    '200': successResponse(endpoint, ref(rowName)),
    '400': response('BadRequest'),
  };
  if (isRead(endpoint)) responses['406'] = response('NotAcceptable');
  const auth = authOf(endpoint, manifest);
  if (auth) {
    const name = securitySchemeName(auth);
    schemes[name] = securityScheme(auth);
    op.security = [{ [name]: [] }];
    responses['401'] = response('Unauthorized');
    responses['403'] = response('Forbidden');
  }
  if (body) {
    responses['413'] = response('PayloadTooLarge');
    responses['415'] = response('UnsupportedMediaType');
  }
  if ((endpoint.rateLimit ?? manifest.rateLimit)?.enabled) responses['429'] = response('TooManyRequests');
  responses['500'] = response('ServerError');
  // A query cut off by the request timeout, or an identity provider that cannot be reached.
  if (manifest.server.requestTimeoutMs > 0 || auth?.type === 'oidc') responses['503'] = response('Unavailable');
  op.responses = responses;
  return op;
}

export function buildOpenApi(manifest: Manifest, serverUrl: string): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = {
    FieldError: {
      type: 'object',
      properties: { field: { type: 'string' }, message: { type: 'string' } },
      required: ['field', 'message'],
    },
    ValidationErrors: {
      type: 'object',
      properties: { errors: { type: 'array', items: ref('FieldError') } },
      required: ['errors'],
    },
    Error: {
      type: 'object',
      properties: {
        error: { type: 'string', description: 'What went wrong, in words.' },
        request_id: { type: 'string', description: 'Present on server errors: find it in the server log.' },
      },
      required: ['error'],
    },
    Page: {
      type: 'object',
      properties: {
        data: { type: 'array' },
        next: { type: ['string', 'null'], description: 'Path and query of the next page; null on the last.' },
        total_count: { type: ['integer', 'null'], description: 'Rows in all pages.' },
      },
      required: ['data', 'next', 'total_count'],
    },
  };
  const errorResponse = (description: string, schema = 'Error') => ({
    description,
    content: { 'application/json': { schema: ref(schema) } },
  });
  const schemes: Record<string, JsonSchema> = {};
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const taken = new Set(Object.keys(schemas));
  for (const endpoint of manifest.endpoints) {
    if (!endpoint.urlPath) continue;
    const rowName = schemaName(endpoint, taken);
    schemas[rowName] = rowSchema(endpoint.columns, manifest.server.bigint);
    const path = openApiPath(endpoint.urlPath);
    (paths[path] ??= {})[endpoint.method.toLowerCase()] = operation(endpoint, manifest, rowName, schemes);
  }
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: { title: manifest.project.name, version: String(manifest.manifestVersion) },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas,
      responses: {
        BadRequest: errorResponse('Invalid parameters: every failing field is named.', 'ValidationErrors'),
        NotAcceptable: errorResponse('None of the requested formats can be produced.'),
        Unauthorized: errorResponse('Missing or invalid credentials.'),
        Forbidden: errorResponse('The credentials lack a required role.'),
        TooManyRequests: {
          ...errorResponse('Rate limit exceeded.'),
          headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } },
        },
        PayloadTooLarge: errorResponse('The body is larger than the server accepts (limits.max-body-size).'),
        UnsupportedMediaType: errorResponse('The body is not application/json.'),
        ServerError: errorResponse('Internal error; the request id leads to the server log.'),
        Unavailable: {
          ...errorResponse('The query ran past the request timeout, or authentication is unavailable; try again.'),
          headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } },
        },
      },
    },
  };
  if (manifest.project.description) document.info.description = manifest.project.description;
  if (Object.keys(schemes).length > 0) document.components.securitySchemes = schemes;
  return document;
}
