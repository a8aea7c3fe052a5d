/**
 * Text after env and include substitution, with the origin of every line, so a YAML node
 * found in the substituted text can still be reported at the file and line the user wrote.
 */
export interface LineOrigin {
  /** Absolute path of the file the line came from. */
  file: string;
  /** 1-based line in that file. */
  line: number;
  /** Columns added in front of the original text (re-indented include content). */
  columnShift: number;
}

export interface SourceText {
  text: string;
  origins: LineOrigin[];
}

export interface OriginPosition {
  file: string;
  line: number;
  column: number;
}

/** Maps a 1-based line/column of the substituted text back to where it was written. */
export function originOf(source: SourceText, line: number, column: number): OriginPosition {
  const origin = source.origins[Math.min(Math.max(line, 1), source.origins.length) - 1];
  if (!origin) return { file: '', line, column };
  return { file: origin.file, line: origin.line, column: Math.max(1, column - origin.columnShift) };
}

export function plainSource(file: string, text: string): SourceText {
  const lines = text.split('\n');
  return { text, origins: lines.map((_, i) => ({ file, line: i + 1, columnShift: 0 })) };
}
