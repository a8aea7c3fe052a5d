// Small helpers shared by the docs page's modules: building elements (text from the
// document only ever goes in as text, never as HTML) and reading schemas.

export function el(tag, attrs, ...children) {
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

export function resolve(doc, value) {
  let current = value;
  for (let depth = 0; current && current.$ref && depth < 20; depth++) {
    const path = current.$ref.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    current = path.reduce((node, key) => (node ? node[key] : undefined), doc);
  }
  return current || {};
}

/** The name a `$ref` points at: `#/components/schemas/Error` → `Error`. */
export function refName(value) {
  return value && typeof value.$ref === 'string' ? value.$ref.split('/').pop() : undefined;
}

/** A short description of a schema: type, format and constraints. */
export function describeSchema(doc, raw) {
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

/**
 * The shape of a response body in one line: `Error { error: string, request_id?: string }`,
 * `{ errors: FieldError { field: string, message: string }[] }`. Nested objects unfold two levels deep.
 */
export function shapeOf(doc, raw, depth = 0) {
  const name = refName(raw);
  const schema = resolve(doc, raw);
  const prefix = name ? `${name} ` : '';
  if (schema.allOf) return schema.allOf.map((s) => shapeOf(doc, s, depth)).join(' & ');
  const types = [].concat(schema.type || []);
  if (types.includes('array')) return `${schema.items ? shapeOf(doc, schema.items, depth) : 'any'}[]`;
  if (schema.properties && depth < 2) {
    const required = new Set(schema.required || []);
    const fields = Object.entries(schema.properties).map(([key, value]) => `${key}${required.has(key) ? '' : '?'}: ${shapeOf(doc, value, depth + 1)}`);
    return `${prefix}{ ${fields.join(', ')} }`;
  }
  if (name) return name;
  return types.filter((t) => t !== 'null').join(' | ') + (types.includes('null') ? '?' : '') || 'any';
}

/** Shell-safe single-quoted text for a curl line. */
export function shellQuote(text) {
  return `'${String(text).replace(/'/g, `'\\''`)}'`;
}
