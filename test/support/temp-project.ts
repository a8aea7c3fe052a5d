/**
 * Writes a small project into a temporary folder for tests that need `flapi validate`
 * or the compiler on a project made up on the spot.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { validate } from '../../cli/commands/validate.js';
import type { Diagnostic } from '../../cli/diagnostics/diagnostic.js';

export interface TempProject {
  dir: string;
  remove(): void;
}

export function writeProject(files: Record<string, string>): TempProject {
  const dir = mkdtempSync(join(tmpdir(), 'flapi-project-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function validateJson(dir: string, strict = false): Promise<{ code: number; diagnostics: Diagnostic[] }> {
  let out = '';
  const sink = (t: string): void => {
    out += t;
  };
  const code = await validate(dir, { json: true, strict }, { stdout: sink, stderr: sink });
  return { code, diagnostics: (JSON.parse(out) as { diagnostics: Diagnostic[] }).diagnostics };
}
