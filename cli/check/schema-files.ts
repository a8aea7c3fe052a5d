import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../config/package-root.js';

/** The folder of the JSON Schemas shipped in the package. */
export function schemasDir(): string {
  return join(packageRoot(), 'schemas');
}

export function readSchema(name: 'flapi.schema.json' | 'endpoint.schema.json'): Record<string, unknown> {
  return JSON.parse(readFileSync(join(schemasDir(), name), 'utf8')) as Record<string, unknown>;
}
