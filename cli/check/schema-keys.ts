import { readSchema } from './schema-files.js';

/**
 * Every key the JSON Schemas define, with the places it may be written: the schema's
 * answer to "where does `validators` go?" when a key turns up somewhere else.
 */
type SchemaFile = 'flapi.schema.json' | 'endpoint.schema.json';
type Json = Record<string, unknown>;

export interface KeyPlace {
  /** Written path of the mapping holding the key: `request[]`, `cache.cursor`, '' for the top level. */
  parent: string;
  file: SchemaFile;
}

const cache = new Map<SchemaFile, Map<string, KeyPlace[]>>();

function resolveRef(ref: string, from: SchemaFile): { node: Json; file: SchemaFile } | undefined {
  const [target, pointer = ''] = ref.split('#');
  const file = (target || from) as SchemaFile;
  let node: unknown = readSchema(file);
  for (const part of pointer.split('/').filter((p) => p !== '')) node = (node as Json | undefined)?.[part];
  return node && typeof node === 'object' ? { node: node as Json, file } : undefined;
}

/** Calls `visit` for each mapping schema reachable from `node`, with the written path of that mapping. */
export function walkSchema(node: Json, file: SchemaFile, path: string, visit: (mapping: Json, path: string, file: SchemaFile) => void, seen = new Set<string>()): void {
  // Schemas that refer to themselves would otherwise be walked forever.
  if (path.split(/[.[]/).length > 12) return;
  if (typeof node.$ref === 'string') {
    const key = `${file}:${node.$ref}@${path}`;
    if (seen.has(key)) return;
    seen.add(key);
    const target = resolveRef(node.$ref, file);
    if (target) walkSchema(target.node, target.file, path, visit, seen);
  }
  for (const branch of ['allOf', 'anyOf', 'oneOf']) {
    const list = node[branch];
    if (Array.isArray(list)) for (const item of list) walkSchema(item as Json, file, path, visit, seen);
  }
  for (const branch of ['then', 'else']) if (node[branch] && typeof node[branch] === 'object') walkSchema(node[branch] as Json, file, path, visit, seen);
  const properties = node.properties as Record<string, Json> | undefined;
  if (properties) {
    visit(node, path, file);
    for (const [key, inner] of Object.entries(properties)) walkSchema(inner, file, path === '' ? key : `${path}.${key}`, visit, seen);
  }
  if (node.items && typeof node.items === 'object' && !Array.isArray(node.items)) walkSchema(node.items as Json, file, `${path}[]`, visit, seen);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') {
    walkSchema(node.additionalProperties as Json, file, `${path}.<name>`, visit, seen);
  }
}

/** Key → the mappings of this kind of file in which the schema defines it. */
export function keyPlaces(file: SchemaFile): Map<string, KeyPlace[]> {
  const known = cache.get(file);
  if (known) return known;
  const places = new Map<string, KeyPlace[]>();
  walkSchema(readSchema(file), file, '', (mapping, parent) => {
    for (const key of Object.keys(mapping.properties as Json)) {
      const list = places.get(key) ?? [];
      if (!list.some((p) => p.parent === parent)) list.push({ parent, file });
      places.set(key, list);
    }
  });
  cache.set(file, places);
  return places;
}

/** `request[]` → "in each item of `request`", '' → "at the top level". */
export function describePlace(parent: string): string {
  if (parent === '') return 'at the top level';
  const item = parent.endsWith('[]');
  const base = item ? parent.slice(0, -2) : parent;
  return item ? `in each item of \`${base.replaceAll('[]', '[…]')}\`` : `under \`${base.replaceAll('[]', '[…]')}\``;
}

/** Whether the written path `request[]` / `connections.<name>` names the mapping at `path` (['request', 0]). */
export function isPlace(parent: string, path: readonly (string | number)[]): boolean {
  const parts = parent === '' ? [] : parent.replace(/\[\]/g, '.[]').split('.').filter((p) => p !== '');
  return parts.length === path.length && parts.every((part, i) => {
    const segment = path[i]!;
    return part === '[]' ? typeof segment === 'number' : part === '<name>' || part === String(segment);
  });
}
