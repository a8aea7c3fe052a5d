import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { CacheSpec, EndpointMcpSpec, EndpointSpec, HttpMethod, TemplateSpec } from '../../runtime/manifest.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { endpointNameFromRoute } from './endpoint-name.js';
import { normaliseAuth } from './normalise-auth.js';
import { normaliseRateLimit } from './normalise-policies.js';
import { normaliseParams } from './normalise-params.js';
import { normaliseResponseCache } from './normalise-response-cache.js';
import { asBoolean, asMap, asNumber, asString, asStringList } from './yaml-values.js';
import type { YamlDocument } from './yaml-document.js';

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** An endpoint as compiled, with what the checks need beyond the manifest entry. */
export interface CompiledEndpoint {
  spec: EndpointSpec;
  doc: YamlDocument;
  /** Absolute template path; undefined when the endpoint has none (an MCP prompt). */
  templatePath?: string;
  cacheTemplatePath?: string;
}

export function normaliseEndpoint(
  doc: YamlDocument,
  root: string,
  connectionNames: readonly string[],
  diagnostics: Diagnostic[],
  files: Set<string>,
): CompiledEndpoint {
  const data = asMap(doc.data);
  const folder = dirname(doc.file);
  const methodText = (asString(data.method) ?? 'GET').toUpperCase();
  const method = METHODS.includes(methodText as HttpMethod) ? (methodText as HttpMethod) : 'GET';
  if (method !== methodText) {
    diagnostics.push({ severity: 'error', ...doc.locate(['method']), code: 'method',
      message: `unknown method \`${methodText}\`; use one of ${METHODS.join(', ')}` });
  }
  const urlPath = asString(data['url-path']);
  const tool = data['mcp-tool'] === undefined ? undefined : asMap(data['mcp-tool']);
  const resource = data['mcp-resource'] === undefined ? undefined : asMap(data['mcp-resource']);
  const prompt = data['mcp-prompt'] === undefined ? undefined : asMap(data['mcp-prompt']);

  const compiled: CompiledEndpoint = { doc, spec: undefined as never };
  let template: TemplateSpec = { file: '', sql: '' };
  const source = asString(data['template-source']);
  if (source !== undefined) {
    compiled.templatePath = resolve(folder, source);
    template = readTemplate(compiled.templatePath, root, doc, ['template-source'], diagnostics, files);
  } else if (!prompt || urlPath || tool || resource) {
    diagnostics.push({ severity: 'error', ...doc.locate([]), code: 'template-source-missing',
      message: 'endpoint has no `template-source`; add `template-source: <file>.sql` (relative to this YAML file)' });
  }

  const written = data.connection;
  let connection = asStringList(written);
  if (written === undefined && connectionNames.length === 1) connection = [connectionNames[0]!];
  const write = method !== 'GET';
  const operation = asMap(data.operation);
  // flAPI writes `Write` / `Read`; the case never mattered there.
  const writtenType = asString(operation.type)?.toLowerCase();
  const operationType = writtenType === 'write' || (writtenType !== 'read' && write) ? 'write' : 'read';
  // flAPI's `validate-before-write` rejects undeclared fields on writes, as request-fields-validation does.
  const validateBeforeWrite = write && asBoolean(operation['validate-before-write'], false);

  const spec: EndpointSpec = {
    name: asString(tool?.name) ?? (urlPath ? endpointNameFromRoute(method, urlPath) : asString(resource?.name) ?? asString(prompt?.name) ?? 'endpoint'),
    file: relative(root, doc.file),
    method,
    template,
    connection,
    pagination: operationType === 'read' && asBoolean(data['with-pagination'], true),
    requestFieldsValidation: asBoolean(data['request-fields-validation'], validateBeforeWrite),
    params: normaliseParams(data.request),
    columns: [],
    operation: {
      type: operationType,
      transaction: asBoolean(operation.transaction, operationType === 'write'),
      returnsData: asBoolean(operation['returns-data'], operationType === 'read'),
    },
  };
  if (urlPath !== undefined) spec.urlPath = urlPath;
  if (data['coalesce-lookups'] === false) spec.coalesceLookups = false;
  const description = asString(data.description) ?? asString(tool?.description) ?? asString(resource?.description);
  if (description !== undefined) spec.description = description;
  if (data.cache !== undefined) {
    const cache = normaliseCache(asMap(data.cache), folder, root, doc, diagnostics, files);
    spec.cache = cache.spec;
    if (cache.templatePath) compiled.cacheTemplatePath = cache.templatePath;
  }
  const responseCache = normaliseResponseCache(data['response-cache'], doc, operationType === 'read', diagnostics);
  if (responseCache) spec.responseCache = responseCache;
  const auth = normaliseAuth(data.auth, ['auth'], { doc, diagnostics, root }, relative(root, doc.file));
  if (auth) spec.auth = auth;
  const rateLimit = normaliseRateLimit(data['rate-limit'] ?? data.rate_limit, doc, [data['rate-limit'] !== undefined ? 'rate-limit' : 'rate_limit']);
  if (rateLimit) spec.rateLimit = rateLimit;
  const mcp = normaliseMcp(tool, resource, prompt);
  if (mcp) spec.mcp = mcp;
  compiled.spec = spec;
  return compiled;
}

function readTemplate(path: string, root: string, doc: YamlDocument, at: (string | number)[], diagnostics: Diagnostic[], files: Set<string>): TemplateSpec {
  files.add(path);
  const file = relative(root, path);
  try {
    return { file, sql: readFileSync(path, 'utf8') };
  } catch {
    diagnostics.push({ severity: 'error', ...doc.locate(at), code: 'template-missing',
      message: `template file ${file} not found (looked at ${path}); create it or fix the path, which is relative to this YAML file` });
    return { file, sql: '' };
  }
}

function normaliseCache(map: Record<string, unknown>, folder: string, root: string, doc: YamlDocument, diagnostics: Diagnostic[], files: Set<string>): { spec: CacheSpec; templatePath?: string } {
  const cursor = map.cursor === undefined ? undefined : asMap(map.cursor);
  const primaryKey = asStringList(map['primary-key']);
  const spec: CacheSpec = {
    enabled: asBoolean(map.enabled, true),
    table: asString(map.table) ?? '',
    schema: asString(map.schema) ?? 'main',
    primaryKey,
    mode: cursor ? (primaryKey.length > 0 ? 'merge' : 'append') : 'full',
  };
  const catalog = asString(map.catalog);
  if (catalog) spec.catalog = catalog;
  const schedule = asString(map.schedule ?? map['refresh-time']);
  if (schedule) spec.schedule = schedule;
  if (cursor) spec.cursor = { column: asString(cursor.column) ?? '', type: asString(cursor.type) ?? 'timestamp' };
  if (map.retention !== undefined) {
    const retention = asMap(map.retention);
    const keep = asNumber(retention['keep-last-snapshots']);
    const age = asString(retention['max-snapshot-age']);
    spec.retention = { ...(keep !== undefined ? { keepLastSnapshots: keep } : {}), ...(age ? { maxSnapshotAge: age } : {}) };
  }
  const templateFile = asString(map['template-file']);
  if (templateFile === undefined) return { spec };
  const templatePath = resolve(folder, templateFile);
  spec.template = readTemplate(templatePath, root, doc, ['cache', 'template-file'], diagnostics, files);
  return { spec, templatePath };
}

function normaliseMcp(tool?: Record<string, unknown>, resource?: Record<string, unknown>, prompt?: Record<string, unknown>): EndpointMcpSpec | undefined {
  if (!tool && !resource && !prompt) return undefined;
  const out: EndpointMcpSpec = {};
  if (tool) {
    out.tool = { name: asString(tool.name) ?? '' };
    const description = asString(tool.description);
    if (description) out.tool.description = description;
    if (tool['allowed-roles'] !== undefined) out.tool.allowedRoles = asStringList(tool['allowed-roles']);
    // flAPI nests these under `response:`; the flat keys are accepted too.
    const response = asMap(tool.response);
    const maxRows = asNumber(tool['max-rows'] ?? response['max-rows']);
    if (maxRows !== undefined) out.tool.maxRows = maxRows;
    const redact = tool['redact-columns'] ?? response['redact-columns'];
    if (redact !== undefined) out.tool.redactColumns = asStringList(redact);
  }
  if (resource) {
    out.resource = { name: asString(resource.name) ?? '' };
    const description = asString(resource.description);
    if (description) out.resource.description = description;
    const mimeType = asString(resource['mime-type']);
    if (mimeType) out.resource.mimeType = mimeType;
  }
  if (prompt) {
    out.prompt = { name: asString(prompt.name) ?? '' };
    const description = asString(prompt.description);
    if (description) out.prompt.description = description;
    const template = asString(prompt.template);
    if (template) out.prompt.template = template;
    if (Array.isArray(prompt.arguments)) {
      out.prompt.arguments = prompt.arguments.map((a) => asString(a) ?? asString(asMap(a).name) ?? '').filter((a) => a !== '');
    }
  }
  return out;
}
