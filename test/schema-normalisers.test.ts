/**
 * The JSON Schemas (what editors and `flapi validate` accept) and the normalisers in
 * cli/config (what the compiler reads) must agree key by key. The keys the normalisers read
 * are found in their source with the TypeScript compiler, so a key added to either side
 * without the other fails here, naming the key and where it is read or defined.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Node, Project, type SourceFile } from 'ts-morph';
import { keyPlaces } from '../cli/check/schema-keys.js';
import { readSchema } from '../cli/check/schema-files.js';

/** Schema keys no normaliser reads by name, and why that is right. */
const READ_OTHERWISE: Record<string, string> = {
  ssl_cert_file: 'normalise-limits reads it as key.replace(/-/g, "_") of ssl-cert-file',
  ssl_key_file: 'normalise-limits reads it as key.replace(/-/g, "_") of ssl-key-file',
  result_mime_type: 'accepted for flAPI compatibility: MCP tool results are always JSON text',
  'result-mime-type': 'flAPI\'s spelling of result_mime_type, accepted likewise',
};

interface Read { key: string; at: string }

function sourceFiles(): SourceFile[] {
  const project = new Project({ tsConfigFilePath: 'tsconfig.json', skipAddingFilesFromTsConfig: true });
  const files = project.addSourceFilesAtPaths('cli/config/*.ts');
  project.resolveSourceFileDependencies();
  return files;
}

/** A YAML mapping as the normalisers see it: `Record<string, unknown>`. */
function isYamlMap(node: Node): boolean {
  const type = node.getType();
  return type.getStringIndexType()?.isUnknown() === true && type.getProperties().length === 0;
}

/** A local helper that reads `map[param]`, e.g. `size('max-body-size')` in normalise-limits. */
function readsItsArgument(callee: Node): boolean {
  const declaration = callee.getSymbol()?.getDeclarations()[0];
  const fn = Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : declaration;
  if (!fn || !(Node.isArrowFunction(fn) || Node.isFunctionDeclaration(fn))) return false;
  const param = fn.getParameters()[0]?.getName();
  return param !== undefined && fn.getDescendants().some((n) =>
    Node.isElementAccessExpression(n) && n.getArgumentExpression()?.getText() === param && isYamlMap(n.getExpression()));
}

/** Every key the cli/config modules read out of parsed YAML, with file:line. */
function keysRead(): Read[] {
  const reads: Read[] = [];
  for (const file of sourceFiles()) {
    const at = (n: Node) => `cli/config/${file.getBaseName()}:${n.getStartLineNumber()}`;
    file.forEachDescendant((n) => {
      if (Node.isPropertyAccessExpression(n) && isYamlMap(n.getExpression())) reads.push({ key: n.getName(), at: at(n) });
      if (Node.isElementAccessExpression(n)) {
        const arg = n.getArgumentExpression();
        // A kebab-case literal is a YAML key whatever the receiver's declared type.
        if (arg && Node.isStringLiteral(arg) && (isYamlMap(n.getExpression()) || arg.getLiteralValue().includes('-'))) {
          reads.push({ key: arg.getLiteralValue(), at: at(n) });
        }
      }
      if (Node.isObjectBindingPattern(n)) {
        const parent = n.getParent();
        const init = Node.isVariableDeclaration(parent) ? parent.getInitializer() : undefined;
        if (init && isYamlMap(init)) {
          for (const element of n.getElements()) {
            // A quoted property name (`'external-access': access`) is the key without its quotes.
            if (!element.getDotDotDotToken()) reads.push({ key: (element.getPropertyNameNode() ?? element.getNameNode()).getText().replace(/^(['"])(.*)\1$/, '$2'), at: at(element) });
          }
        }
      }
      if (Node.isCallExpression(n) && readsItsArgument(n.getExpression())) {
        const arg = n.getArguments()[0];
        if (arg && Node.isStringLiteral(arg)) reads.push({ key: arg.getLiteralValue(), at: at(n) });
      }
    });
  }
  return reads;
}

const schemaKeys = (() => {
  const places = new Map<string, string[]>();
  for (const file of ['flapi.schema.json', 'endpoint.schema.json'] as const) {
    for (const [key, list] of keyPlaces(file)) {
      places.set(key, [...(places.get(key) ?? []), ...list.map((p) => `${file}:${p.parent || '(top level)'}`)]);
    }
  }
  return places;
})();

/** The schema's description of `key` at any place, to see whether it says the key is only accepted. */
function descriptions(key: string): string[] {
  const out: string[] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const properties = (node as { properties?: Record<string, { description?: string }> }).properties;
    const description = properties?.[key]?.description;
    if (description) out.push(description);
    for (const inner of Object.values(node)) visit(inner);
  };
  visit(readSchema('flapi.schema.json'));
  visit(readSchema('endpoint.schema.json'));
  return out;
}

const reads = keysRead();

test('the key scan finds what the normalisers read (it can fail)', () => {
  const keys = new Set(reads.map((r) => r.key));
  for (const key of ['url-path', 'field-name', 'allowedValues', 'allowed-values', 'refresh-time', 'max-body-size', 'db_path', 'environment-whitelist']) {
    assert.ok(keys.has(key), `the scan misses ${key}`);
  }
});

test('every key the normalisers read is defined in a JSON Schema', () => {
  const missing = reads.filter((r) => !schemaKeys.has(r.key));
  assert.deepEqual(missing.map((r) => `${r.key} (read at ${r.at})`), [],
    'add these keys to schemas/*.json where the normaliser reads them, or stop reading them');
});

test('every key of the JSON Schemas is read by a normaliser, or says it is only accepted', () => {
  const read = new Set(reads.map((r) => r.key));
  const unread = [...schemaKeys.keys()].filter((key) =>
    !read.has(key) && READ_OTHERWISE[key] === undefined && !descriptions(key).some((d) => /\baccepted\b/i.test(d)));
  assert.deepEqual(unread.map((key) => `${key} (${schemaKeys.get(key)!.join(', ')})`), [],
    'read these keys in cli/config, or describe them in the schema as "Accepted ..." (flAPI keys that change nothing here)');
});

test('validator types: the schema enum and the normaliser cases agree', () => {
  const file = sourceFiles().find((f) => f.getBaseName() === 'normalise-params.ts')!;
  const fn = file.getFunctionOrThrow('normaliseValidator');
  const cases = fn.getDescendants().filter(Node.isCaseClause).map((c) => c.getExpression()).filter(Node.isStringLiteral).map((e) => e.getLiteralValue());
  const validator = (readSchema('endpoint.schema.json') as { definitions: { validator: { properties: { type: { enum: string[] } } } } }).definitions.validator;
  const schemaTypes = validator.properties.type.enum;
  assert.deepEqual(cases.filter((c) => !schemaTypes.includes(c)), [], 'types the normaliser accepts but the schema rejects');
  // `string` is the switch's default branch.
  assert.deepEqual(schemaTypes.filter((t) => !cases.includes(t) && t !== 'string'), [], 'types the schema accepts but the normaliser treats as string');
});
