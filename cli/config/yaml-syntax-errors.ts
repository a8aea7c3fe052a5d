import type { YAMLError } from 'yaml';

/**
 * YAML parse errors in plain words, at the line to edit. The parser reports an
 * over-indented key on the line before it ("Nested mappings are not allowed in compact
 * mappings", then "Implicit keys need to be on a single line" for the same spot); users
 * need the line that is wrong and the column it should start at.
 */
export interface ExplainedYamlError {
  /** Offset in the parsed text of the spot to report. */
  offset: number;
  code: string;
  message: string;
}

/** Line and column as the user wrote them, for an offset in the parsed text. */
export type Locate = (offset: number) => { line: number; column: number };

interface Line {
  start: number;
  text: string;
}

interface KeyLine {
  index: number;
  key: string;
  /** Offset of the key's first character. */
  offset: number;
  /** Column of the key in the parsed text, 0-based (after any `- ` markers). */
  column: number;
  /** Text after `key:`, trimmed; '' when the value is on the following lines. */
  value: string;
}

const KEY_LINE = /^(\s*)((?:-\s+)*)([^\s#:'"{[\-][^#]*?|"[^"]*"|'[^']*')\s*:(?:\s+(.*?))?\s*(?:#.*)?$/;

function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    lines.push({ start, text: line });
    start += line.length + 1;
  }
  return lines;
}

function lineIndexAt(lines: Line[], offset: number): number {
  let index = 0;
  while (index + 1 < lines.length && lines[index + 1]!.start <= offset) index++;
  return index;
}

function isContent(line: Line | undefined): boolean {
  return line !== undefined && line.text.trim() !== '' && !line.text.trim().startsWith('#');
}

function keyLine(lines: Line[], index: number): KeyLine | undefined {
  const line = lines[index];
  const match = line === undefined ? null : KEY_LINE.exec(line.text);
  if (!line || !match) return undefined;
  const column = match[1]!.length + match[2]!.length;
  return { index, key: match[3]!.trim(), offset: line.start + column, column, value: match[4] ?? '' };
}

function indentOf(line: Line): number {
  return /^[ \t]*/.exec(line.text)![0].length;
}

export function explainYamlErrors(text: string, errors: readonly YAMLError[], locate: Locate): ExplainedYamlError[] {
  const lines = linesOf(text);
  const out: ExplainedYamlError[] = [];
  const reported = new Set<number>();
  for (const error of errors) {
    const explained = explain(lines, error, locate);
    // One message per line: the parser often reports one mistake twice.
    const line = locate(explained.offset).line;
    if (reported.has(line)) continue;
    reported.add(line);
    out.push(explained);
  }
  return out;
}

function explain(lines: Line[], error: YAMLError, locate: Locate): ExplainedYamlError {
  const offset = error.pos[0];
  const index = lineIndexAt(lines, offset);
  const line = lines[index]!;
  const column = (at: KeyLine): number => locate(at.offset).column;
  const lineNo = (at: KeyLine): number => locate(at.offset).line;
  switch (error.code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY': {
      const glued = /(^|\s|-\s)([A-Za-z_][\w-]*):(?=[^\s:/])(\S+)/.exec(line.text);
      if (glued && !/:\s/.test(line.text.slice(glued.index))) {
        return { offset: line.start + glued.index + glued[1]!.length, code: 'yaml-syntax',
          message: `\`${glued[2]}:${glued[3]}\` needs a space after the colon to be a key and its value; write \`${glued[2]}: ${glued[3]}\`` };
      }
      const above = keyLine(lines, index);
      let next = index + 1;
      while (next < lines.length && !isContent(lines[next])) next++;
      const below = keyLine(lines, next);
      if (above && above.value !== '' && below && below.column > above.column) {
        return { offset: below.offset, code: 'yaml-indentation',
          message: `\`${below.key}\` is indented deeper than \`${above.key}\` on line ${lineNo(above)}, which already has a value; ` +
            `start it at column ${column(above)}, like \`${above.key}\`` };
      }
      break;
    }
    case 'BAD_INDENT':
    case 'MISSING_CHAR': {
      let at = index;
      while (at < lines.length && !isContent(lines[at])) at++;
      const here = keyLine(lines, at);
      if (!here) break;
      let prev = at - 1;
      while (prev >= 0 && !isContent(lines[prev])) prev--;
      const sibling = keyLine(lines, prev);
      if (!sibling || sibling.column === here.column) break;
      let up = prev;
      let parent: KeyLine | undefined;
      while (up >= 0 && !parent) {
        const candidate = isContent(lines[up]) ? keyLine(lines, up) : undefined;
        if (candidate && candidate.column < here.column && indentOf(lines[up]!) < here.column) parent = candidate;
        up--;
      }
      const choices = parent && parent.column < sibling.column
        ? `start it at column ${column(sibling)} to keep it beside \`${sibling.key}\` (line ${lineNo(sibling)}), or at column ${column(parent)} to put it beside \`${parent.key}\` (line ${lineNo(parent)})`
        : `start it at column ${column(sibling)}, like \`${sibling.key}\` on line ${lineNo(sibling)}`;
      return { offset: here.offset, code: 'yaml-indentation',
        message: `\`${here.key}\` starts at column ${column(here)}, which lines up with no key above it; ${choices}` };
    }
    case 'TAB_AS_INDENT':
      return { offset: line.start, code: 'yaml-indentation', message: 'YAML does not allow tabs for indentation; indent this line with spaces' };
    case 'UNEXPECTED_TOKEN': {
      const above = keyLine(lines, index);
      if (/block-seq-ind/.test(error.message) && above) {
        return { offset, code: 'yaml-syntax',
          message: `a \`- \` list cannot start on the same line as \`${above.key}:\`; put each item on a line of its own below it, indented, or write the list as [a, b]` };
      }
      break;
    }
    case 'DUPLICATE_KEY': {
      const key = /^[^\s:#]+/.exec(line.text.slice(offset - line.start))?.[0];
      if (key) return { offset, code: 'yaml-duplicate-key', message: `\`${key}\` appears twice in the same mapping; keep one` };
      break;
    }
    default:
      break;
  }
  return { offset, code: 'yaml-syntax',
    message: `YAML syntax error: ${error.message.split('\n')[0]}; check the indentation and quoting on this line and the one above` };
}
