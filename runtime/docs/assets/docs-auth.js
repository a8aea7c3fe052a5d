// The "Authorize" box: one input per security scheme the document declares (bearer token,
// basic user and password, API key). The values stay in this page's memory; try-it sends
// them only to operations whose `security` names that scheme.
import { el } from './docs-dom.js';

const inputs = new Map();

function field(id, label, attrs) {
  const input = el('input', { id, autocomplete: 'off', spellcheck: 'false', ...attrs });
  return [el('label', { for: id }, label), input];
}

/** Base64 of UTF-8 text (btoa alone refuses characters outside Latin-1). */
function base64(text) {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function schemeFields(name, scheme) {
  if (scheme.type === 'http' && String(scheme.scheme).toLowerCase() === 'basic') {
    const [userLabel, user] = field(`auth-${name}-user`, 'Username', { name: 'username' });
    const [passLabel, pass] = field(`auth-${name}-password`, 'Password', { name: 'password', type: 'password' });
    inputs.set(name, { scheme, user, pass });
    return [userLabel, user, passLabel, pass];
  }
  if (scheme.type === 'http') {
    const [label, token] = field(`auth-${name}-token`, 'Bearer token', { name: 'token', type: 'password', placeholder: scheme.bearerFormat || '' });
    inputs.set(name, { scheme, token });
    return [label, token];
  }
  if (scheme.type === 'apiKey' && scheme.in === 'header') {
    const [label, key] = field(`auth-${name}-key`, `API key (${scheme.name} header)`, { name: 'api-key', type: 'password' });
    inputs.set(name, { scheme, key });
    return [label, key];
  }
  return [];
}

/** Fills `#auth` with the document's schemes; leaves it hidden when there are none. */
export function renderAuth(doc, section) {
  const schemes = (doc.components && doc.components.securitySchemes) || {};
  inputs.clear();
  const fields = [];
  for (const [name, scheme] of Object.entries(schemes)) fields.push(...schemeFields(name, scheme));
  if (fields.length === 0) {
    section.hidden = true;
    return;
  }
  section.replaceChildren(
    el('h2', {}, 'Authorize'),
    el('p', { class: 'muted' }, 'Kept in this page only, and sent with "Try it" requests to the endpoints that require it.'),
    el('form', { class: 'try', onsubmit: (event) => event.preventDefault() }, ...fields));
  section.hidden = false;
}

function headerOf(name) {
  const entry = inputs.get(name);
  if (!entry) return undefined;
  if (entry.user) {
    return entry.user.value || entry.pass.value ? ['Authorization', `Basic ${base64(`${entry.user.value}:${entry.pass.value}`)}`] : undefined;
  }
  if (entry.token) return entry.token.value ? ['Authorization', `Bearer ${entry.token.value.trim()}`] : undefined;
  return entry.key.value ? [entry.scheme.name, entry.key.value.trim()] : undefined;
}

/**
 * The headers that authorize `operation`: those of the first of its security requirements
 * whose every scheme has a value. An operation without `security` gets none.
 */
export function authHeaders(operation) {
  for (const requirement of operation.security || []) {
    const headers = {};
    let complete = true;
    for (const name of Object.keys(requirement)) {
      const header = headerOf(name);
      if (!header) complete = false;
      else headers[header[0]] = header[1];
    }
    if (complete) return headers;
  }
  return {};
}
