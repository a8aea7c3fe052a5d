import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { notWhitelistedMessage, type ProjectEnvironment } from './environment.js';
import type { LineOrigin, SourceText } from './source-text.js';

/**
 * flAPI's text substitution, done before YAML parsing: `{{env.NAME}}` and
 * `{{include[:key] from file.yaml [if [!]env.NAME]}}`. Included text is spliced in line by
 * line and re-indented, so every resulting line still knows the file and line it came from.
 */
export interface SubstituteContext {
  env: ProjectEnvironment;
  diagnostics: Diagnostic[];
  /** Every file read, absolute, for the watcher. */
  files: Set<string>;
}

const ENV_TAG = /\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const INCLUDE_TAG = /\{\{include(?::([^\s}]+))?\s+from\s+(.+?)(?:\s+if\s+([^}]+?))?\s*\}\}/;
/**
 * `"{{include ...}}":` — the directive written as a quoted key with no value, which is valid
 * YAML, so an editor validating the file against the schema (whose patternProperties allow
 * such keys) sees no syntax error. It is spliced exactly like the bare directive.
 */
const QUOTED_INCLUDE = /^(\s*)(["'])(\{\{include[^}]*\}\})\2\s*:\s*(#.*)?$/;

export function substituteFile(file: string, context: SubstituteContext, stack: string[] = []): SourceText | undefined {
  context.files.add(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    context.diagnostics.push(error(file, 1, 1, 'file-unreadable', `cannot read ${file}: ${(err as Error).message}`));
    return undefined;
  }
  return substituteText(file, text, context, [...stack, file]);
}

export function substituteText(file: string, text: string, context: SubstituteContext, stack: string[] = [file]): SourceText {
  const out: string[] = [];
  const origins: LineOrigin[] = [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const here: LineOrigin = { file, line: lineNo, columnShift: 0 };
    // A full-line comment documents, it never references (flAPI skips these too).
    if (/^\s*#/.test(raw)) {
      out.push(raw);
      origins.push(here);
      return;
    }
    const quoted = QUOTED_INCLUDE.exec(raw);
    const line = substituteEnv(quoted ? `${quoted[1]}${quoted[3]}` : raw, file, lineNo, context);
    const match = INCLUDE_TAG.exec(line);
    if (!match) {
      out.push(line);
      origins.push(here);
      return;
    }
    const column = match.index + 1;
    const prefix = line.slice(0, match.index);
    const suffix = line.slice(match.index + match[0].length);
    const [, section, pathText, condition] = match;
    const blank = () => {
      out.push(prefix.trimEnd());
      origins.push(here);
    };
    if (suffix.trim() !== '' && !suffix.trim().startsWith('#')) {
      context.diagnostics.push(error(file, lineNo, column, 'include-placement',
        'put the {{include ...}} directive on a line of its own (or directly after `key:`)'));
      return blank();
    }
    if (condition !== undefined && !evaluateCondition(condition.trim(), file, lineNo, column, context)) return blank();
    const target = resolve(dirname(file), pathText!.trim());
    if (!existsSync(target)) {
      context.diagnostics.push(error(file, lineNo, column, 'include-missing',
        `included file ${pathText!.trim()} not found (looked at ${target}); include paths are relative to the including file`));
      return blank();
    }
    if (stack.includes(target)) {
      context.diagnostics.push(error(file, lineNo, column, 'include-cycle',
        `circular include of ${pathText!.trim()}; remove the include that leads back to this file`));
      return blank();
    }
    const included = substituteFile(target, context, stack);
    if (!included) return blank();
    const block = section === undefined ? wholeBlock(included) : sectionBlock(included, section);
    if (!block) {
      context.diagnostics.push(error(file, lineNo, column, 'include-section',
        `section \`${section}\` not found at the top level of ${pathText!.trim()}; check the key name`));
      return blank();
    }
    splice(prefix, block, here, out, origins);
  });
  return { text: out.join('\n'), origins };
}

interface Block {
  lines: string[];
  origins: LineOrigin[];
}

function splice(prefix: string, block: Block, here: LineOrigin, out: string[], origins: LineOrigin[]): void {
  let indent: number;
  let first = 0;
  if (prefix.trim() === '' || /^\s*(-\s+)+$/.test(prefix)) {
    // `{{include ...}}` alone or as a sequence item: the block starts where the directive stood.
    indent = prefix.length;
    if (block.lines.length > 0) {
      out.push(prefix + block.lines[0]);
      origins.push(shift(block.origins[0]!, prefix.length));
      first = 1;
    }
  } else {
    // `key: {{include ...}}`: the block becomes the nested value of key.
    indent = (/^\s*/.exec(prefix)?.[0].length ?? 0) + 2;
    out.push(prefix.trimEnd());
    origins.push(here);
  }
  for (let i = first; i < block.lines.length; i++) {
    const text = block.lines[i]!;
    out.push(text.trim() === '' ? '' : ' '.repeat(indent) + text);
    origins.push(shift(block.origins[i]!, indent));
  }
}

function shift(origin: LineOrigin, by: number): LineOrigin {
  return { ...origin, columnShift: origin.columnShift + by };
}

function wholeBlock(source: SourceText): Block {
  const lines = source.text.split('\n');
  const keep = lines.map((l) => !/^(---|\.\.\.)\s*$/.test(l));
  return {
    lines: lines.filter((_, i) => keep[i]),
    origins: source.origins.filter((_, i) => keep[i]),
  };
}

/** The `key: value` text of one top-level key, dedented to column 0. */
function sectionBlock(source: SourceText, key: string): Block | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter });
  if (!isMap(doc.contents)) return undefined;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  if (!pair || !isScalar(pair.key) || !pair.key.range) return undefined;
  const valueRange = (pair.value as { range?: [number, number, number] } | null)?.range;
  const start = lineCounter.linePos(pair.key.range[0]);
  const endOffset = valueRange ? Math.max(valueRange[1] - 1, pair.key.range[1]) : pair.key.range[1];
  const end = lineCounter.linePos(endOffset);
  const lines = source.text.split('\n');
  const base = start.col - 1;
  const out: Block = { lines: [], origins: [] };
  for (let line = start.line; line <= end.line; line++) {
    const text = lines[line - 1] ?? '';
    const leading = /^\s*/.exec(text)![0].length;
    const cut = Math.min(base, leading);
    out.lines.push(text.slice(cut));
    out.origins.push(shift(source.origins[line - 1]!, -cut));
  }
  while (out.lines.length > 1 && out.lines[out.lines.length - 1]!.trim() === '') {
    out.lines.pop();
    out.origins.pop();
  }
  return out;
}

function substituteEnv(line: string, file: string, lineNo: number, context: SubstituteContext): string {
  return line.replace(ENV_TAG, (_tag, name: string, offset: number) => {
    if (!context.env.allows(name)) {
      context.diagnostics.push(error(file, lineNo, offset + 1, 'env-not-whitelisted', notWhitelistedMessage(name)));
      return '';
    }
    return context.env.get(name) ?? '';
  });
}

function evaluateCondition(condition: string, file: string, line: number, column: number, context: SubstituteContext): boolean {
  if (condition === 'true') return true;
  if (condition === 'false') return false;
  const match = /^(!?)env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(condition);
  if (!match) {
    context.diagnostics.push(error(file, line, column, 'include-condition',
      `unsupported include condition \`${condition}\`; write \`if env.NAME\` or \`if !env.NAME\``));
    return false;
  }
  const [, negate, name] = match;
  if (!context.env.allows(name!)) {
    context.diagnostics.push(error(file, line, column, 'env-not-whitelisted', notWhitelistedMessage(name!)));
    return false;
  }
  const set = (context.env.get(name!) ?? '') !== '';
  return negate ? !set : set;
}

function error(file: string, line: number, column: number, code: string, message: string): Diagnostic {
  return { severity: 'error', file, line, column, code, message };
}
