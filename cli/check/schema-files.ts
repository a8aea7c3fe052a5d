import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the shipped JSON Schemas, found from this module both in source and in dist/. */
export function schemasDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'schemas');
    if (existsSync(join(candidate, 'flapi.schema.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('flapi: the schemas/ folder is missing from the installed package');
}

export function readSchema(name: 'flapi.schema.json' | 'endpoint.schema.json'): Record<string, unknown> {
  return JSON.parse(readFileSync(join(schemasDir(), name), 'utf8')) as Record<string, unknown>;
}
