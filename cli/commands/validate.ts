import { compileProject } from '../compile-project.js';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

export interface ValidateOptions {
  config?: string;
  json?: boolean;
  strict?: boolean;
}

export interface ValidateIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: ValidateIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** `flapi validate [dir]` (commander passes the command object third, so output goes through `validate`): every diagnostic, one summary line, exit 1 on any error. */
export async function run(dir: string | undefined, options: ValidateOptions = {}): Promise<number> {
  return validate(dir, options, processIo);
}

export async function validate(dir: string | undefined, options: ValidateOptions, io: ValidateIo): Promise<number> {
  const result = await compileProject({ dir: dir ?? '.', ...(options.config ? { config: options.config } : {}) });
  const diagnostics: Diagnostic[] = options.strict
    ? result.diagnostics.map((d) => (d.security && d.severity === 'warning' ? { ...d, severity: 'error' } : d))
    : result.diagnostics;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const endpoints = result.manifest?.endpoints ?? [];
  const ok = errors === 0;

  if (options.json) {
    const listed = endpoints.map((e) => ({
      name: e.name, method: e.method, ...(e.urlPath ? { urlPath: e.urlPath } : {}), file: e.file,
      columns: e.columns,
    }));
    io.stdout(`${JSON.stringify({ ok, diagnostics, endpoints: listed }, null, 2)}\n`);
    return ok ? 0 : 1;
  }
  for (const d of diagnostics) (d.severity === 'error' ? io.stderr : io.stdout)(`${formatDiagnostic(d)}\n`);
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const summary = `${count(result.endpointCount, 'endpoint')}, ${count(errors, 'error')}, ${count(warnings, 'warning')}`;
  if (ok) io.stdout(`✓ ${summary}\n`);
  else io.stderr(`✗ ${summary}\n`);
  return ok ? 0 : 1;
}
