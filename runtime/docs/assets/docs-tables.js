// The reference part of an endpoint card: parameters, row columns and every response
// with the shape of its body (error bodies included).
import { describeSchema, el, resolve, shapeOf } from './docs-dom.js';

export function parameterTable(doc, parameters, bodySchema) {
  const rows = parameters.map((p) =>
    el('tr', {},
      el('td', {}, el('code', {}, p.name), p.required ? el('span', { class: 'req' }, ' required') : null),
      el('td', {}, p.in),
      el('td', { class: 'mono' }, describeSchema(doc, p.schema)),
      el('td', {}, p.description || (p.schema && p.schema.description) || '')));
  if (bodySchema) {
    const required = new Set(bodySchema.required || []);
    for (const [name, schema] of Object.entries(bodySchema.properties || {})) {
      rows.push(el('tr', {},
        el('td', {}, el('code', {}, name), required.has(name) ? el('span', { class: 'req' }, ' required') : null),
        el('td', {}, 'body'),
        el('td', { class: 'mono' }, describeSchema(doc, schema)),
        el('td', {}, schema.description || '')));
    }
  }
  if (rows.length === 0) return el('p', { class: 'muted' }, 'No parameters.');
  return el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Name'), el('th', {}, 'In'), el('th', {}, 'Type'), el('th', {}, 'Description'))), el('tbody', {}, ...rows));
}

/** The row schema behind a 200 response: the items of the array, or of the page's data. */
function rowSchemaOf(doc, operation) {
  const ok = resolve(doc, (operation.responses || {})['200']);
  const json = ok.content && ok.content['application/json'];
  if (!json) return undefined;
  let schema = resolve(doc, json.schema);
  if (schema.allOf) schema = resolve(doc, schema.allOf.map((s) => resolve(doc, s)).find((s) => s.properties && s.properties.data && s.properties.data.items));
  if (schema.properties && schema.properties.data) schema = resolve(doc, schema.properties.data);
  return schema.type === 'array' ? resolve(doc, schema.items) : undefined;
}

export function columnTable(doc, operation) {
  const row = rowSchemaOf(doc, operation);
  if (!row || !row.properties) return null;
  const rows = Object.entries(row.properties).map(([name, schema]) =>
    el('tr', {}, el('td', {}, el('code', {}, name)), el('td', { class: 'mono' }, describeSchema(doc, schema)), el('td', { class: 'mono muted' }, schema['x-duckdb-type'] || '')));
  return el('div', {}, el('h3', {}, 'Columns'),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Column'), el('th', {}, 'JSON'), el('th', {}, 'DuckDB'))), el('tbody', {}, ...rows)));
}

/** Status, meaning, JSON body shape and headers of every documented response. */
export function responseTable(doc, operation) {
  const rows = Object.entries(operation.responses || {}).map(([status, raw]) => {
    const response = resolve(doc, raw);
    const json = response.content && response.content['application/json'];
    const others = Object.keys(response.content || {}).filter((type) => type !== 'application/json');
    const headers = Object.keys(response.headers || {});
    return el('tr', { 'data-status': status },
      el('td', {}, el('code', {}, status)),
      el('td', {}, response.description || '', headers.length ? el('div', { class: 'muted' }, `Headers: ${headers.join(', ')}`) : null),
      el('td', { class: 'mono' }, json ? shapeOf(doc, json.schema) : '', others.length ? el('div', { class: 'muted' }, `also ${others.join(', ')}`) : null));
  });
  if (rows.length === 0) return null;
  return el('div', {}, el('h3', {}, 'Responses'),
    el('table', { class: 'responses' }, el('thead', {}, el('tr', {}, el('th', {}, 'Status'), el('th', {}, 'Meaning'), el('th', {}, 'JSON body'))), el('tbody', {}, ...rows)));
}
