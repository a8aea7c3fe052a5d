// The docs page: the server already rendered the endpoint list; this reads openapi.json
// and rebuilds each operation with its parameters, columns, responses and a try-it form,
// plus the Authorize box for the document's security schemes.
import { el, resolve } from './docs-dom.js';
import { renderAuth } from './docs-auth.js';
import { columnTable, parameterTable, responseTable } from './docs-tables.js';
import { tryForm } from './docs-try.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function renderOperation(doc, path, method, operation, open) {
  const body = operation.requestBody ? resolve(doc, operation.requestBody) : undefined;
  const bodySchema = body && body.content && body.content['application/json'] ? resolve(doc, body.content['application/json'].schema) : undefined;
  return el('details', { class: 'endpoint', 'data-path': path, 'data-method': method.toUpperCase(), open },
    el('summary', {}, el('span', { class: `method ${method}` }, method.toUpperCase()), el('span', { class: 'path' }, path), el('span', { class: 'summary' }, operation.summary || '')),
    el('div', { class: 'body' },
      operation.description ? el('p', { class: 'description' }, operation.description) : null,
      operation.security && operation.security.length ? el('p', { class: 'muted lock' }, `Requires ${operation.security.map((r) => Object.keys(r).join(' + ')).join(' or ')}`) : null,
      el('h3', {}, 'Parameters'),
      parameterTable(doc, operation.parameters || [], bodySchema),
      columnTable(doc, operation),
      responseTable(doc, operation),
      tryForm(doc, path, method, operation, bodySchema)));
}

function render(doc) {
  const info = doc.info || {};
  document.title = `${info.title || 'API'} · docs`;
  document.getElementById('title').textContent = info.title || 'API';
  document.getElementById('description').textContent = info.description || '';
  document.getElementById('server').textContent = doc.servers && doc.servers[0] ? doc.servers[0].url : '';
  renderAuth(doc, document.getElementById('auth'));
  const list = document.getElementById('endpoints');
  // Cards the reader opened before the script ran stay open.
  const opened = new Set([...list.querySelectorAll('details[open]')].map((d) => `${d.dataset.method} ${d.dataset.path}`));
  const cards = [];
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const method of METHODS) {
      if (!item[method]) continue;
      cards.push(renderOperation(doc, path, method, item[method], opened.has(`${method.toUpperCase()} ${path}`)));
    }
  }
  list.replaceChildren(...cards);
  document.getElementById('status').textContent = `${cards.length} endpoint${cards.length === 1 ? '' : 's'}`;
  const filter = document.getElementById('filter');
  const apply = () => {
    const needle = filter.value.toLowerCase();
    for (const card of list.children) card.hidden = needle !== '' && !card.textContent.toLowerCase().includes(needle);
  };
  filter.addEventListener('input', apply);
  apply();
  document.body.dataset.ready = 'true';
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
