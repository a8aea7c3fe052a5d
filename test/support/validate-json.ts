/** Runs `flapi validate --json` on a folder and returns its exit code and diagnostics. */
import { validate } from '../../cli/commands/validate.js';
import type { Diagnostic } from '../../cli/diagnostics/diagnostic.js';

export async function validateJson(dir: string, strict = false): Promise<{ code: number; diagnostics: Diagnostic[] }> {
  let out = '';
  const sink = (t: string): void => {
    out += t;
  };
  const code = await validate(dir, { json: true, strict }, { stdout: sink, stderr: sink });
  return { code, diagnostics: (JSON.parse(out) as { diagnostics: Diagnostic[] }).diagnostics };
}
