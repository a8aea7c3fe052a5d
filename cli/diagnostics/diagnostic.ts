/**
 * A finding of the compiler, anchored at the file and position a user must edit.
 * Every message says what is wrong and what to do about it.
 */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Path relative to the working directory when inside it, else absolute. */
  file: string;
  line: number;
  column: number;
  message: string;
  /** Stable machine-readable kind, e.g. `unknown-key`, `template-syntax`. */
  code: string;
  /** A warning about security (e.g. plaintext passwords); `validate --strict` treats it as an error. */
  security?: boolean;
}

export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}  ${d.severity}  ${d.message}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Orders diagnostics by file, then position, so output is stable run to run. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
}
