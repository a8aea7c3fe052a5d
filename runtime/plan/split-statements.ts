/**
 * A rendered write template may hold several statements (`INSERT ...; UPDATE ...;`), as
 * flAPI's write endpoints do. DuckDB prepares one statement at a time, so the SQL is cut
 * at every top-level `;` (not inside quotes or comments) and each statement gets its own
 * `$1..$n`, renumbered in order of first use, with the values it binds.
 */
import type { BoundValue, RenderedSql } from '../template/index.js';

const TRANSACTION_CONTROL = /^(BEGIN|START|COMMIT|END|ROLLBACK|ABORT)(\s+(TRANSACTION|WORK))?$/i;

type State = 'sql' | 'string' | 'identifier' | 'line-comment' | 'block-comment';

/** Text that is only whitespace and comments: not a statement. */
function isEmpty(sql: string): boolean {
  return sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ').trim() === '';
}

/** One statement's placeholders renumbered from 1, and the values they bind. */
function renumber(sql: string, values: readonly BoundValue[]): RenderedSql {
  const order = new Map<number, number>();
  const out: BoundValue[] = [];
  let text = '';
  let state: State = 'sql';
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (state === 'sql' && ch === '$' && /[0-9]/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && /[0-9]/.test(sql[j]!)) j++;
      const old = Number(sql.slice(i + 1, j));
      let index = order.get(old);
      if (index === undefined) {
        out.push(values[old - 1] ?? null);
        index = out.length;
        order.set(old, index);
      }
      text += `$${index}`;
      i = j - 1;
      continue;
    }
    text += ch;
    state = advance(state, ch, sql[i + 1], sql[i - 1]);
  }
  return { sql: text, values: out };
}

/** The lexer state after `ch`: `next` shows a comment opening, `prev` a block comment closing. */
function advance(state: State, ch: string, next: string | undefined, prev: string | undefined): State {
  switch (state) {
    case 'sql':
      if (ch === "'") return 'string';
      if (ch === '"') return 'identifier';
      if (ch === '-' && next === '-') return 'line-comment';
      if (ch === '/' && next === '*') return 'block-comment';
      return 'sql';
    case 'string':
      return ch === "'" ? 'sql' : 'string';
    case 'identifier':
      return ch === '"' ? 'sql' : 'identifier';
    case 'line-comment':
      return ch === '\n' ? 'sql' : 'line-comment';
    case 'block-comment':
      return ch === '/' && prev === '*' ? 'sql' : 'block-comment';
  }
}

export function splitStatements(rendered: RenderedSql): RenderedSql[] {
  const { sql, values } = rendered;
  const pieces: string[] = [];
  let state: State = 'sql';
  let start = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (state === 'sql' && ch === ';') {
      pieces.push(sql.slice(start, i));
      start = i + 1;
      continue;
    }
    state = advance(state, ch, sql[i + 1], sql[i - 1]);
  }
  pieces.push(sql.slice(start));
  // The executor runs a multi-statement template in a transaction of its own.
  const statements = pieces.filter((piece) => !isEmpty(piece) && !TRANSACTION_CONTROL.test(piece.trim()));
  if (statements.length <= 1) return [rendered];
  return statements.map((piece) => renumber(piece.trim(), values));
}
