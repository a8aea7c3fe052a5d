/**
 * Maps a DuckDB error on rendered SQL back to the template. DuckDB names the rendered line
 * (`LINE 3: ...`) and marks the failing token with a caret; sections may have dropped
 * lines and tags were replaced by `$n` or text, so the template line is found by matching
 * the line's text with tags and placeholders taken out.
 */
export interface TemplatePosition {
  line: number;
  column: number;
}

export function templatePositionOf(message: string, renderedSql: string, template: string): TemplatePosition {
  const match = /LINE (\d+): ?(.*)\n(\s*)\^/.exec(message);
  if (!match) return { line: 1, column: 1 };
  const renderedLine = Number(match[1]);
  const shown = match[2]!;
  const caret = match[3]!.length - `LINE ${match[1]}: `.length;
  const renderedLines = renderedSql.split('\n');
  const templateLines = template.split('\n');
  const line = matchLine(renderedLines[renderedLine - 1] ?? shown, renderedLine, templateLines);
  const token = /^[A-Za-z0-9_."]+/.exec(shown.slice(Math.max(caret, 0)))?.[0];
  const at = token ? (templateLines[line - 1] ?? '').indexOf(token) : -1;
  return { line, column: at >= 0 ? at + 1 : 1 };
}

function skeleton(text: string): string {
  return text.replace(/\{\{[^}]*\}\}\}?/g, '').replace(/\$\d+/g, '').replace(/\s+/g, '');
}

/** Template lines never come after the rendered ones end: a section only removes lines. */
function matchLine(rendered: string, renderedLine: number, templateLines: string[]): number {
  const wanted = skeleton(rendered);
  if (wanted !== '') {
    for (let i = renderedLine - 1; i < templateLines.length; i++) {
      if (skeleton(templateLines[i]!) === wanted) return i + 1;
    }
    const loose = templateLines.findIndex((l) => skeleton(l) !== '' && wanted.includes(skeleton(l)));
    if (loose >= 0) return loose + 1;
  }
  return Math.min(renderedLine, templateLines.length);
}

/** For databases that report a character offset into the rendered SQL (PostgreSQL's `position`). */
export function templatePositionAtOffset(renderedSql: string, offset: number, template: string): TemplatePosition {
  const before = renderedSql.slice(0, offset).split('\n');
  const renderedLine = before.length;
  const line = matchLine(renderedSql.split('\n')[renderedLine - 1] ?? '', renderedLine, template.split('\n'));
  const token = /^[A-Za-z0-9_."]+/.exec(renderedSql.slice(offset))?.[0];
  const at = token ? (template.split('\n')[line - 1] ?? '').indexOf(token) : -1;
  return { line, column: at >= 0 ? at + 1 : 1 };
}

/**
 * A database error in one line for a diagnostic, keeping the database's own hints
 * (DuckDB's `Candidate bindings: "unit_price"`, `Did you mean "items"?`) and leaving out
 * the `LINE n:` excerpt and caret, whose position the diagnostic already gives.
 */
export function sqlErrorSummary(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (/^LINE \d+:/.test(line)) break;
    if (line.trim() !== '') lines.push(line.trim());
  }
  return lines.join(' ') || text.trim();
}
