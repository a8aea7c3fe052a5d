// The docs page: reads openapi.json and renders every operation with its parameters,
// its row columns and a form that sends a real request. Text from the document only
// ever reaches the page through textContent, never as HTML.
'use strict';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function resolve(doc, value) {
  let current = value;
  for (let depth = 0; current && current.$ref && depth < 20; depth++) {
    const path = current.$ref.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    current = path.reduce((node, key) => (node ? node[key] : undefined), doc);
  }
  return current || {};
}

/** A short description of a schema: type, format and constraints. */
function describeSchema(doc, raw) {
  const schema = resolve(doc, raw);
  if (schema.allOf) return schema.allOf.map((s) => describeSchema(doc, s)).join(' and ');
  if (schema.anyOf) return schema.anyOf.map((s) => describeSchema(doc, s)).join(' or ');
  const types = [].concat(schema.type || 'any');
  let text = types.filter((t) => t !== 'null').join(' | ') || 'null';
  if (types.includes('null')) text += '?';
  if (types.includes('array') && schema.items) text = `${describeSchema(doc, schema.items)}[]`;
  const parts = [];
  if (schema.format) parts.push(schema.format);
  if (schema.enum) parts.push(`one of ${schema.enum.join(', ')}`);
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined) parts.push(`length ≥ ${schema.minLength}`);
  if (schema.maxLength !== undefined) parts.push(`length ≤ ${schema.maxLength}`);
  if (schema.pattern && !schema.format) parts.push(schema.pattern.length > 40 && schema.description ? schema.description.replace(/\.$/, '') : `pattern ${schema.pattern}`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.length ? `${text} (${parts.join('; ')})` : text;
}

function parameterTable(doc, parameters, bodySchema) {
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

function columnTable(doc, operation) {
  const row = rowSchemaOf(doc, operation);
  if (!row || !row.properties) return null;
  const rows = Object.entries(row.properties).map(([name, schema]) =>
    el('tr', {}, el('td', {}, el('code', {}, name)), el('td', { class: 'mono' }, describeSchema(doc, schema)), el('td', { class: 'mono muted' }, schema['x-duckdb-type'] || '')));
  return el('div', {}, el('h3', {}, 'Columns'),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Column'), el('th', {}, 'JSON'), el('th', {}, 'DuckDB'))), el('tbody', {}, ...rows)));
}

function inputFor(doc, name, schema, required) {
  const s = resolve(doc, schema);
  const id = `f-${Math.random().toString(36).slice(2)}`;
  let input;
  if (s.enum) {
    input = el('select', { id, name }, el('option', { value: '' }, ''), ...s.enum.map((v) => el('option', { value: v, selected: v === s.default }, v)));
  } else if ([].concat(s.type).includes('boolean')) {
    input = el('select', { id, name }, el('option', { value: '' }, ''), el('option', { value: 'true' }, 'true'), el('option', { value: 'false' }, 'false'));
  } else {
    const placeholder = s.default !== undefined ? String(s.default) : s.examples ? String(s.examples[0]) : describeSchema(doc, s);
    input = el('input', { id, name, placeholder, required });
  }
  return [el('label', { for: id }, name + (required ? ' *' : '')), input];
}

function tryForm(doc, path, method, operation, bodySchema) {
  const parameters = operation.parameters || [];
  const fields = [];
  for (const p of parameters) fields.push(...inputFor(doc, p.name, p.schema, p.required));
  let bodyInput;
  if (bodySchema) {
    const example = {};
    for (const name of Object.keys(bodySchema.properties || {})) example[name] = '';
    bodyInput = el('textarea', { name: '__body' }, JSON.stringify(example, null, 2));
    fields.push(el('label', {}, 'body (JSON)'), bodyInput);
  }
  const result = el('div', { class: 'result' });
  const form = el('form', { class: 'try' }, ...fields, el('button', { type: 'submit' }, 'Send'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    let url = path;
    const query = new URLSearchParams();
    const headers = {};
    for (const p of parameters) {
      const value = String(data.get(p.name) || '');
      if (value === '') continue;
      if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(value));
      else if (p.in === 'query') query.set(p.name, value);
      else if (p.in === 'header') headers[p.name] = value;
    }
    const qs = query.toString();
    const target = qs ? `${url}?${qs}` : url;
    const init = { method: method.toUpperCase(), headers };
    if (bodyInput) {
      init.body = bodyInput.value;
      headers['Content-Type'] = 'application/json';
    }
    result.replaceChildren(el('div', { class: 'line muted' }, `${init.method} ${target} …`));
    const started = performance.now();
    try {
      const response = await fetch(target, init);
      const type = response.headers.get('content-type') || '';
      let text;
      if (/json|csv|text|ndjson/.test(type)) {
        text = await response.text();
        if (type.includes('application/json')) {
          try { text = JSON.stringify(JSON.parse(text), null, 2); } catch { /* shown as sent */ }
        }
      } else {
        text = `${(await response.arrayBuffer()).byteLength} bytes of ${type || 'binary data'}`;
      }
      if (text.length > 100000) text = `${text.slice(0, 100000)}\n… (truncated)`;
      const ms = Math.round(performance.now() - started);
      const extra = ['x-total-count', 'x-cache', 'x-request-id'].map((h) => (response.headers.get(h) ? `${h}: ${response.headers.get(h)}` : '')).filter(Boolean).join('  ');
      result.replaceChildren(
        el('div', { class: `line ${response.ok ? 'ok' : 'bad'}` }, `${response.status} ${response.statusText} · ${ms} ms · ${type}`),
        extra ? el('div', { class: 'line muted' }, extra) : null,
        el('pre', { class: 'response' }, text));
    } catch (err) {
      result.replaceChildren(el('div', { class: 'line bad' }, `Request failed: ${err.message}`));
    }
  });
  return el('div', {}, el('h3', {}, 'Try it'), form, result);
}

function renderOperation(doc, path, method, operation) {
  const body = operation.requestBody ? resolve(doc, operation.requestBody) : undefined;
  const bodySchema = body && body.content && body.content['application/json'] ? resolve(doc, body.content['application/json'].schema) : undefined;
  const card = el('details', { class: 'endpoint', 'data-path': path, 'data-method': method.toUpperCase() },
    el('summary', {}, el('span', { class: `method ${method}` }, method.toUpperCase()), el('span', { class: 'path' }, path), el('span', { class: 'summary' }, operation.summary || '')),
    el('div', { class: 'body' },
      operation.description ? el('p', { class: 'description' }, operation.description) : null,
      el('h3', {}, 'Parameters'),
      parameterTable(doc, operation.parameters || [], bodySchema),
      columnTable(doc, operation),
      tryForm(doc, path, method, operation, bodySchema)));
  return card;
}

function render(doc) {
  const info = doc.info || {};
  document.title = `${info.title || 'API'} · docs`;
  document.getElementById('title').textContent = info.title || 'API';
  document.getElementById('description').textContent = info.description || '';
  document.getElementById('server').textContent = doc.servers && doc.servers[0] ? doc.servers[0].url : '';
  const list = document.getElementById('endpoints');
  let count = 0;
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const method of METHODS) {
      if (!item[method]) continue;
      list.append(renderOperation(doc, path, method, item[method]));
      count++;
    }
  }
  document.getElementById('status').textContent = `${count} endpoint${count === 1 ? '' : 's'}`;
  document.getElementById('filter').addEventListener('input', (event) => {
    const needle = event.target.value.toLowerCase();
    for (const card of list.children) card.hidden = needle !== '' && !card.textContent.toLowerCase().includes(needle);
  });
}

fetch('openapi.json')
  .then((response) => {
    if (!response.ok) throw new Error(`openapi.json answered ${response.status}`);
    return response.json();
  })
  .then(render)
  .catch((err) => {
    document.getElementById('status').textContent = `Could not load the API description: ${err.message}`;
  });
