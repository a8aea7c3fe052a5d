import Mustache from 'mustache';
import { SqlScanner, type ScanState } from './sql-scanner.js';
import type { LiteralPart, Path, TemplateNode } from './template-nodes.js';
import {
  TemplateSyntaxError,
  type Namespace,
  type TagPlacement,
  type TemplateReference,
} from './template-types.js';

export interface CompileOptions {
  /**
   * Params validated by an `enum`: the only request values that may become SQL text.
   * A map also gives the allowed values, which rendering checks once more.
   */
  splice?: ReadonlySet<string> | ReadonlyMap<string, readonly string[]>;
}

export interface CompiledTemplate {
  readonly nodes: readonly TemplateNode[];
  readonly references: readonly TemplateReference[];
  /** True when no section can change the SQL text, so it can be rendered once. */
  readonly static: boolean;
}

/** Namespaces whose values come from the request and so must never become SQL text. */
const REQUEST_NAMESPACES = new Set(['params', 'auth']);
const NAMESPACES = new Set<string>(['params', 'auth', 'conn', 'env', 'cache']);

type Token = [string, string, number, number, Token[]?, number?];

interface OpenLiteral {
  /** The literal as written, opening quote included, for when nothing needs binding. */
  raw: TemplateNode[];
  parts: LiteralPart[];
  binds: boolean;
}

/** Parse a Mustache SQL template once into a tree that renders without re-parsing. */
export function compileTemplate(source: string, options: CompileOptions = {}): CompiledTemplate {
  const compiler = new Compiler(source, options);
  const nodes = compiler.compile();
  return { nodes, references: compiler.references, static: !nodes.some((n) => n.kind === 'section') };
}

class Compiler {
  readonly references: TemplateReference[] = [];
  private readonly scanner = new SqlScanner();
  private readonly lineStarts: number[] = [0];
  private literal: OpenLiteral | undefined;

  constructor(
    private readonly source: string,
    private readonly options: CompileOptions,
  ) {
    for (let i = 0; i < source.length; i++) if (source[i] === '\n') this.lineStarts.push(i + 1);
  }

  compile(): TemplateNode[] {
    let tokens: Token[];
    try {
      tokens = Mustache.parse(this.source) as Token[];
    } catch (err) {
      const message = (err as Error).message;
      const at = Number(/at (\d+)\s*$/.exec(message)?.[1] ?? 0);
      throw this.syntaxError(`${message.replace(/ at \d+\s*$/, '')}: check that every {{#x}} or {{^x}} has a matching {{/x}} and every tag is closed`, at);
    }
    const nodes = this.walk(tokens);
    if (this.literal) throw this.syntaxError('a quoted string is never closed: add the missing single quote', this.source.length);
    return nodes;
  }

  private walk(tokens: Token[]): TemplateNode[] {
    const out: TemplateNode[] = [];
    for (const token of tokens) {
      const [type, value, start, end] = token;
      switch (type) {
        case 'text':
          this.text(value, out);
          break;
        case 'name':
        case '&':
          this.tag(value.trim(), start, end, out);
          break;
        case '#':
        case '^': {
          if (this.scanner.state === 'string') {
            throw this.syntaxError(`section {{${type}${value}}} opens inside a quoted string: put the whole string inside the section`, start);
          }
          const path = splitPath(value.trim());
          this.reference(value.trim(), 'section', start);
          const children = this.walk(token[4] ?? []);
          if ((this.scanner.state as ScanState) === 'string') {
            throw this.syntaxError(`section {{/${value}}} closes inside a quoted string: put the whole string inside the section`, token[5] ?? end);
          }
          out.push({ kind: 'section', path, inverted: type === '^', children });
          break;
        }
        case '>':
          throw this.syntaxError(`partials ({{>${value}}}) are not supported in SQL templates: use {{include}} in YAML or a view`, start);
        default:
          // Comments ({{! }}) and delimiter changes carry no SQL.
          break;
      }
    }
    return out;
  }

  private text(text: string, out: TemplateNode[]): void {
    let from = 0;
    let state: ScanState = this.scanner.state;
    this.scanner.feed(text);
    for (const { at, state: next } of this.scanner.transitions) {
      this.textSegment(text.slice(from, at), state, out);
      if (next === 'string') this.literal = { raw: [], parts: [], binds: false };
      if (state === 'string' && next !== 'string') this.closeLiteral(out);
      from = at;
      state = next;
    }
    this.textSegment(text.slice(from), state, out);
  }

  private textSegment(text: string, state: ScanState, out: TemplateNode[]): void {
    if (text === '') return;
    if (state === 'string' && this.literal) {
      this.literal.raw.push({ kind: 'text', text });
      // The opening and closing quotes frame the value; doubled quotes inside are one quote.
      let content = text;
      if (this.literal.raw.length === 1) content = content.slice(1);
      this.literal.parts.push(content.replace(/''/g, "'"));
      return;
    }
    pushText(out, text);
  }

  private closeLiteral(out: TemplateNode[]): void {
    const literal = this.literal;
    this.literal = undefined;
    if (!literal) return;
    // The closing quote ended up in the last text part; it is not part of the value.
    const parts = literal.parts;
    const last = parts[parts.length - 1];
    if (typeof last === 'string' && last.endsWith("'")) parts[parts.length - 1] = last.slice(0, -1);
    if (!literal.binds) {
      for (const node of literal.raw) node.kind === 'text' ? pushText(out, node.text) : out.push(node);
      return;
    }
    out.push({ kind: 'literal', parts: parts.filter((p) => p !== '') });
  }

  private tag(name: string, start: number, end: number, out: TemplateNode[]): void {
    const path = splitPath(name);
    const [namespace, key] = path;
    const fromRequest = !NAMESPACES.has(namespace) || REQUEST_NAMESPACES.has(namespace);
    const spliceable = namespace === 'params' && key !== undefined && this.isSpliceParam(key);
    const state = this.scanner.state;
    const placement: TagPlacement =
      state === 'string'
        ? 'literal'
        : state === 'identifier' || this.touchesName(start, end) || this.scanner.expectsSqlText()
          ? 'identifier'
          : 'value';
    // A tag inside a SQL comment renders nothing, so it references nothing.
    if (state === 'line-comment' || state === 'block-comment') return;
    this.reference(name, placement, start);

    if (state === 'string' && this.literal) {
      this.literal.parts.push({ path });
      if (fromRequest) this.literal.binds = true;
      this.literal.raw.push(fromRequest ? { kind: 'bind', path, key: key ?? name } : { kind: 'splice', path, quoted: true });
      return;
    }
    this.scanner.noteTag();
    if (!fromRequest) {
      out.push({ kind: 'splice', path, quoted: false });
    } else if (spliceable && (placement === 'identifier' || this.scanner.inSelectList())) {
      // An enum value is spliced only where SQL text goes; as a value it is bound like any other.
      out.push({ kind: 'splice', path, quoted: false, allowed: this.allowedValues(key) });
    } else if (placement === 'identifier') {
      const { line, column } = this.position(start);
      out.push({ kind: 'refuse', path, key: key ?? name, line, column });
    } else {
      out.push({ kind: 'bind', path, key: key ?? name });
    }
  }

  /** `t_{{x}}` or `{{x}}.col` glue the value onto a name: that is SQL text. */
  private touchesName(start: number, end: number): boolean {
    const before = this.source[start - 1] ?? '';
    const after = this.source[end] ?? '';
    return /[A-Za-z0-9_.]/.test(before) || /[A-Za-z0-9_.]/.test(after);
  }

  private isSpliceParam(key: string): boolean {
    return this.options.splice?.has(key) ?? false;
  }

  private allowedValues(key: string): ReadonlySet<string> | undefined {
    const splice = this.options.splice;
    if (splice instanceof Map) return new Set(splice.get(key));
    return undefined;
  }

  private reference(path: string, placement: TagPlacement, at: number): void {
    const parts = splitPath(path);
    const namespace = NAMESPACES.has(parts[0]) ? (parts[0] as Namespace) : undefined;
    const { line, column } = this.position(at);
    this.references.push({ path, namespace, key: namespace ? parts[1] : undefined, placement, line, column });
  }

  private position(at: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - this.lineStarts[lo] + 1 };
  }

  private syntaxError(message: string, at: number): TemplateSyntaxError {
    const { line, column } = this.position(at);
    return new TemplateSyntaxError(message, line, column);
  }
}

function splitPath(name: string): Path {
  return name === '.' ? ['.'] : name.split('.');
}

function pushText(out: TemplateNode[], text: string): void {
  const last = out[out.length - 1];
  if (last?.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + text };
  else out.push({ kind: 'text', text });
}
