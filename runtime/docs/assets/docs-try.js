// "Try it": a form per operation that sends a real request from the page and shows the
// request URL, a copyable curl line for the same request, and the answer.
import { describeSchema, el, resolve, shellQuote } from './docs-dom.js';
import { authHeaders } from './docs-auth.js';

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

/** The curl line that sends exactly what the page sent. */
export function curlLine(method, url, headers, body) {
  const parts = ['curl'];
  if (method !== 'GET') parts.push('-X', method);
  parts.push(shellQuote(url));
  for (const [name, value] of Object.entries(headers)) parts.push('-H', shellQuote(`${name}: ${value}`));
  if (body !== undefined) parts.push('--data-raw', shellQuote(body));
  return parts.join(' ');
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Select and copy';
  }
  setTimeout(() => { button.textContent = 'Copy'; }, 1500);
}

function requestBlock(method, url, curl) {
  const button = el('button', { type: 'button', class: 'copy' }, 'Copy');
  button.addEventListener('click', () => copy(curl, button));
  return el('div', { class: 'request' },
    el('div', { class: 'label' }, 'Request URL'),
    el('pre', { class: 'request-url' }, `${method} ${url}`),
    el('div', { class: 'label' }, 'curl ', button),
    el('pre', { class: 'curl' }, curl));
}

async function showResponse(response, started) {
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
  return [
    el('div', { class: `line ${response.ok ? 'ok' : 'bad'}` }, `${response.status} ${response.statusText} · ${ms} ms · ${type}`),
    extra ? el('div', { class: 'line muted' }, extra) : null,
    el('pre', { class: 'response' }, text),
  ];
}

export function tryForm(doc, path, method, operation, bodySchema) {
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
    Object.assign(headers, authHeaders(operation));
    const qs = query.toString();
    const target = new URL(qs ? `${url}?${qs}` : url, window.location.href).href;
    const init = { method: method.toUpperCase(), headers };
    if (bodyInput) {
      init.body = bodyInput.value;
      headers['Content-Type'] = 'application/json';
    }
    const request = requestBlock(init.method, target, curlLine(init.method, target, headers, init.body));
    result.replaceChildren(request, el('div', { class: 'line muted' }, 'waiting for the answer…'));
    const started = performance.now();
    try {
      const response = await fetch(target, init);
      result.replaceChildren(request, ...(await showResponse(response, started)));
    } catch (err) {
      result.replaceChildren(request, el('div', { class: 'line bad' }, `Request failed: ${err.message}`));
    }
  });
  return el('div', {}, el('h3', {}, 'Try it'), form, result);
}
