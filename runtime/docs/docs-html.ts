/**
 * The docs page's HTML with the API already in it: title, description and every
 * endpoint with its parameters. The page reads before (or without) its script; the
 * script then rebuilds the list from openapi.json with the try-it forms.
 */
import type { JsonSchema } from '../openapi/json-schema.js';
import type { OpenApiDocument } from '../openapi/index.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values: everything from the document goes through here. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** `string`, `integer?`, `string[]`: enough to read a parameter list without the script. */
function typeText(schema: JsonSchema | undefined): string {
  if (schema === undefined) return '';
  const types = ([] as unknown[]).concat(schema.type ?? 'any').map(String);
  let text = types.filter((t) => t !== 'null').join(' | ') || 'null';
  if (text === 'array' && schema.items !== undefined) text = `${typeText(schema.items as JsonSchema)}[]`;
  if (types.includes('null')) text += '?';
  return typeof schema.format === 'string' ? `${text} (${schema.format})` : text;
}

interface ParamRow {
  name: string;
  in: string;
  required: boolean;
  schema?: JsonSchema;
  description?: string;
}

function paramRows(operation: JsonSchema): ParamRow[] {
  const rows = ((operation.parameters ?? []) as JsonSchema[]).map((p) => ({
    name: String(p.name),
    in: String(p.in),
    required: p.required === true,
    schema: p.schema as JsonSchema | undefined,
    ...(typeof p.description === 'string' ? { description: p.description } : {}),
  }));
  const content = (operation.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)?.content;
  const body = content?.['application/json']?.schema;
  const required = new Set((body?.required ?? []) as string[]);
  for (const [name, schema] of Object.entries((body?.properties ?? {}) as Record<string, JsonSchema>)) {
    rows.push({ name, in: 'body', required: required.has(name), schema, ...(typeof schema.description === 'string' ? { description: schema.description } : {}) });
  }
  return rows;
}

function paramTable(operation: JsonSchema): string {
  const rows = paramRows(operation);
  if (rows.length === 0) return '<p class="muted">No parameters.</p>';
  const body = rows
    .map((r) => {
      const required = r.required ? '<span class="req"> required</span>' : '';
      const description = r.description ?? (typeof r.schema?.description === 'string' ? r.schema.description : '');
      return `<tr><td><code>${escapeHtml(r.name)}</code>${required}</td><td>${escapeHtml(r.in)}</td><td class="mono">${escapeHtml(typeText(r.schema))}</td><td>${escapeHtml(description)}</td></tr>`;
    })
    .join('');
  return `<table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>${body}</tbody></table>`;
}

function card(path: string, method: string, operation: JsonSchema): string {
  const summary = typeof operation.summary === 'string' ? operation.summary : '';
  const description = typeof operation.description === 'string' ? `<p class="description">${escapeHtml(operation.description)}</p>` : '';
  const m = method.toUpperCase();
  return (
    `<details class="endpoint" data-path="${escapeHtml(path)}" data-method="${m}">` +
    `<summary><span class="method ${method}">${m}</span><span class="path">${escapeHtml(path)}</span><span class="summary">${escapeHtml(summary)}</span></summary>` +
    `<div class="body">${description}<h3>Parameters</h3>${paramTable(operation)}</div></details>`
  );
}

/** Every operation of the document, in document order. */
export function operationsOf(document: OpenApiDocument): { path: string; method: string; operation: JsonSchema }[] {
  const out: { path: string; method: string; operation: JsonSchema }[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation !== undefined) out.push({ path, method, operation });
    }
  }
  return out;
}

/** Fills the page template's `{{slots}}` from the document. */
export function renderDocsHtml(template: string, document: OpenApiDocument): string {
  const operations = operationsOf(document);
  const title = document.info.title || 'API';
  const slots: Record<string, string> = {
    title: escapeHtml(title),
    description: escapeHtml(document.info.description ?? ''),
    server: escapeHtml(document.servers[0]?.url ?? ''),
    status: `${operations.length} endpoint${operations.length === 1 ? '' : 's'}`,
    endpoints: operations.map((o) => card(o.path, o.method, o.operation)).join('\n'),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => slots[name] ?? whole);
}
