import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { suggestKey } from '../diagnostics/suggest.js';
import type { YamlDocument } from '../config/yaml-document.js';
import { readSchema } from './schema-files.js';
import { describePlace, isPlace, keyPlaces } from './schema-keys.js';

export type SchemaKind = 'flapi' | 'endpoint';

let validators: Record<SchemaKind, ValidateFunction> | undefined;

function compiled(): Record<SchemaKind, ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
  ajv.addSchema(readSchema('flapi.schema.json'), 'flapi.schema.json');
  ajv.addSchema(readSchema('endpoint.schema.json'), 'endpoint.schema.json');
  validators = {
    flapi: ajv.getSchema('flapi.schema.json')!,
    endpoint: ajv.getSchema('endpoint.schema.json')!,
  };
  return validators;
}

/**
 * Checks a file against its JSON Schema. Unknown keys are warnings with a suggestion
 * (flAPI ignores them, so a typo silently does nothing), unless the key is known in another
 * place of the file; everything else is an error.
 */
export function schemaCheck(doc: YamlDocument, kind: SchemaKind): Diagnostic[] {
  const validate = compiled()[kind];
  if (validate(doc.data)) return [];
  return (validate.errors ?? []).filter(relevant).map((e) => toDiagnostic(doc, e, kind));
}

/** `if`/`anyOf` wrappers repeat what their branches already said. */
function relevant(error: ErrorObject): boolean {
  return !['if', 'anyOf', 'oneOf', 'then'].includes(error.keyword);
}

function toDiagnostic(doc: YamlDocument, error: ErrorObject, kind: SchemaKind): Diagnostic {
  const path = error.instancePath.split('/').slice(1).map(unescape);
  const where = path.length > 0 ? `\`${path.join('.')}\`` : 'the top level';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperty':
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const elsewhere = (keyPlaces(`${kind}.schema.json`).get(key) ?? []).filter((p) => !isPlace(p.parent, path));
      if (elsewhere.length > 0) {
        // A known key in the wrong mapping is not a typo to ignore: what it configures would silently not apply.
        const places = elsewhere.slice(0, 3).map((p) => describePlace(p.parent));
        return { severity: 'error', ...doc.locate([...path, key], 'key'), code: 'misplaced-key',
          message: `\`${key}\` does not belong ${path.length > 0 ? `in ${where}` : 'at the top level'}, where it would be ignored; ` +
            `it belongs ${places.join(', or ')}: move it there (check its indentation)` };
      }
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestion = suggestKey(key, known);
      const hint = suggestion ? `did you mean \`${suggestion}\`?` : `known keys here: ${known.join(', ')}`;
      return { severity: 'warning', ...doc.locate([...path, key], 'key'), code: 'unknown-key',
        message: `unknown key \`${key}\` ${path.length > 0 ? `in ${where}` : 'at the top level'} is ignored; ${hint}` };
    }
    case 'required':
      return { severity: 'error', ...doc.locate(path), code: 'schema',
        message: `${where} is missing the required key \`${String(params.missingProperty)}\`; add it` };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).filter((v) => typeof v !== 'string' || v === v.toLowerCase() || !(params.allowedValues as unknown[]).includes(v.toLowerCase()));
      return { severity: 'error', ...doc.locate(path), code: 'schema',
        message: `${where} is \`${String(error.data)}\`; use one of ${allowed.join(', ')}` };
    }
    case 'type':
      return { severity: 'error', ...doc.locate(path), code: 'schema',
        message: `${where} must be of type ${String(params.type).replace(/,(?=[^,]*$)/, ' or ').replaceAll(',', ', ')}, not ${describe(error.data)}; change its value` };
    case 'pattern':
      return { severity: 'error', ...doc.locate(path), code: 'schema',
        message: `${where} \`${String(error.data)}\` must match ${String(params.pattern)}; ${patternHint(path)}` };
    default:
      return { severity: 'error', ...doc.locate(path), code: 'schema', message: `${where} ${error.message ?? 'is invalid'}; fix it` };
  }
}

function patternHint(path: (string | number)[]): string {
  const last = path[path.length - 1];
  if (last === 'url-path') return 'start the path with /';
  if (last === 'field-name') return 'use letters, digits and _ only, not starting with a digit';
  return 'change the value';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} \`${String(value)}\``;
}

function unescape(segment: string): string | number {
  const text = segment.replace(/~1/g, '/').replace(/~0/g, '~');
  return /^\d+$/.test(text) ? Number(text) : text;
}
