import type { CompiledTemplate } from './compile-template.js';
import type { Path, TemplateNode } from './template-nodes.js';
import type { BoundValue, RenderedSql, TemplateContext } from './template-types.js';

/**
 * Walk a compiled template for one request. Request values only ever land in
 * `values`; the SQL text is made of the author's text, trusted config values and
 * enum-checked params, so it depends only on which sections are on.
 */
export function renderTemplate(template: CompiledTemplate, context: TemplateContext): RenderedSql {
  const state: RenderState = { sql: '', values: [], slots: new Map(), stack: [] };
  renderNodes(template.nodes, context, state);
  return { sql: state.sql, values: state.values };
}

interface RenderState {
  sql: string;
  values: BoundValue[];
  /** Same path, same placeholder: `{{params.x}}` twice binds `$1` twice. */
  slots: Map<string, number>;
  /** Items of the enclosing sections, innermost last, for `{{.}}` and relative names. */
  stack: unknown[];
}

function renderNodes(nodes: readonly TemplateNode[], context: TemplateContext, state: RenderState): void {
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index]!;
    switch (node.kind) {
      case 'text':
        state.sql += node.text;
        break;
      case 'bind': {
        const slotKey = node.path.join('.');
        let slot = state.stack.length === 0 ? state.slots.get(slotKey) : undefined;
        if (slot === undefined) {
          state.values.push(toBound(lookup(node.path, context, state.stack)));
          slot = state.values.length;
          if (state.stack.length === 0) state.slots.set(slotKey, slot);
        }
        state.sql += `$${slot}`;
        break;
      }
      case 'splice': {
        const text = textOf(lookup(node.path, context, state.stack));
        if (node.allowed && !node.allowed.has(text)) {
          throw new TemplateRenderError(`value of ${node.path.join('.')} is not one of its allowed values`);
        }
        state.sql += node.quoted ? text.replace(/'/g, "''") : text;
        break;
      }
      case 'literal': {
        // `LIKE '%{{params.q}}%'`: the request's `%` and `_` are matched literally (see likePattern).
        const like = isLikePattern(state.sql, nodes[index + 1]);
        let value = '';
        for (const part of node.parts) {
          if (typeof part === 'string') value += part;
          else {
            const text = textOf(lookup(part.path, context, state.stack));
            value += like && !TRUSTED.has(part.path[0]!) ? escapeLike(text) : text;
          }
        }
        state.values.push(value);
        // `DATE '{{{params.d}}}'`: a typed literal takes a string constant, not a parameter,
        // so the bound value is cast instead (`CAST($1 AS DATE)`), meaning the same.
        // Only the end of the SQL matters; a leading space lets a keyword at its very start match.
        const end = state.sql.slice(-32);
        const typed = TYPED_LITERAL.exec(` ${end}`);
        if (typed !== null) {
          // Everything up to and including the character before the keyword.
          const head = state.sql.slice(0, state.sql.length - end.length + typed.index);
          state.sql = `${head}CAST($${state.values.length} AS ${typed[2]!.toUpperCase()})`;
        } else {
          state.sql += `$${state.values.length}${like ? LIKE_ESCAPE : ''}`;
        }
        break;
      }
      case 'refuse':
        throw new TemplateRenderError(
          `${node.path.join('.')} (line ${node.line}) stands where SQL text is expected; only enum-validated parameters may be used there`,
        );
      case 'section':
        renderSection(node, context, state);
        break;
    }
  }
}

function renderSection(node: Extract<TemplateNode, { kind: 'section' }>, context: TemplateContext, state: RenderState): void {
  const value = lookup(node.path, context, state.stack);
  const items = Array.isArray(value) ? value : isTruthy(value) ? [value] : [];
  if (node.inverted) {
    if (items.length === 0) renderNodes(node.children, context, state);
    return;
  }
  for (const item of items) {
    state.stack.push(item);
    renderNodes(node.children, context, state);
    state.stack.pop();
  }
}

/** SQL ending in a type keyword that prefixes a string literal (`DATE '2024-01-01'`). */
const TYPED_LITERAL = /([^A-Za-z0-9_."])(DATE|TIME|TIMESTAMP|TIMESTAMPTZ|INTERVAL|UUID|JSON)\s*$/i;

/**
 * A quoted literal holding request values right after LIKE / ILIKE (or `~~`) is a pattern
 * the author wrote: its `%` and `_` are wildcards, the request's are text. So request
 * values are escaped and the placeholder gets `ESCAPE '\'`, unless the author wrote an
 * ESCAPE clause of their own. To let callers send wildcards, bind the whole pattern:
 * `name LIKE {{params.pattern}}`.
 */
const LIKE_BEFORE = /(?:\bI?LIKE|~~\*?)\s*$/i;
const ESCAPE_AFTER = /^\s*ESCAPE\b/i;
const LIKE_ESCAPE = " ESCAPE '\\'";
/** Namespaces of configuration, not of the request: their values keep their wildcards. */
const TRUSTED = new Set(['conn', 'env', 'cache']);

function isLikePattern(sqlSoFar: string, next: TemplateNode | undefined): boolean {
  if (!LIKE_BEFORE.test(sqlSoFar.slice(-16))) return false;
  return !(next?.kind === 'text' && ESCAPE_AFTER.test(next.text));
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/** Mustache truthiness, except that 0 is a real value a filter may ask for. */
function isTruthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== '';
}

function lookup(path: Path, context: TemplateContext, stack: readonly unknown[]): unknown {
  if (path[0] === '.') return stack[stack.length - 1];
  // Relative names resolve against enclosing section items first, as in Mustache.
  for (let i = stack.length - 1; i >= 0; i--) {
    const found = dig(stack[i], path);
    if (found !== undefined) return found;
  }
  return dig(context, path);
}

function dig(root: unknown, path: Path): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function toBound(value: unknown): BoundValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.join(',');
  return JSON.stringify(value);
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export class TemplateRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateRenderError';
  }
}
