/**
 * Parses DuckDB type text (as the dry-run records it in `ColumnSpec.type`) into a tree:
 * `INTEGER[]`, `DECIMAL(10,2)`, `STRUCT("a b" INTEGER, c VARCHAR[])`, `MAP(VARCHAR, DOUBLE)`,
 * `ENUM('x', 'y')`, `UNION(n INTEGER, s VARCHAR)`, `TIMESTAMP WITH TIME ZONE`, `INTEGER[3]`.
 * Anything unrecognised parses as a named type with no arguments, never an error: a docs
 * schema may be vague, but it must not stop the server.
 */

export type TypeNode =
  | { kind: 'named'; name: string; args: number[] }
  | { kind: 'enum'; values: string[] }
  | { kind: 'list'; item: TypeNode; length?: number }
  | { kind: 'struct'; fields: { name: string; type: TypeNode }[] }
  | { kind: 'union'; members: { name: string; type: TypeNode }[] }
  | { kind: 'map'; key: TypeNode; value: TypeNode };

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  skipSpaces(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  peek(): string {
    this.skipSpaces();
    return this.text[this.pos] ?? '';
  }

  eat(ch: string): boolean {
    if (this.peek() !== ch) return false;
    this.pos++;
    return true;
  }

  word(): string {
    this.skipSpaces();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (!match) return '';
    this.pos += match[0].length;
    return match[0];
  }

  quoted(quote: string): string {
    // Caller has checked the opening quote; a doubled quote is an escaped one.
    this.pos++;
    let out = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos++]!;
      if (ch !== quote) out += ch;
      else if (this.text[this.pos] === quote) out += this.text[this.pos++];
      else break;
    }
    return out;
  }

  number(): number | undefined {
    this.skipSpaces();
    const match = /^\d+/.exec(this.text.slice(this.pos));
    if (!match) return undefined;
    this.pos += match[0].length;
    return Number(match[0]);
  }

  /** Skips a balanced parenthesised group whose content is not understood. */
  skipGroup(): void {
    let depth = 0;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      if (ch === "'" || ch === '"') {
        this.quoted(ch);
        continue;
      }
      this.pos++;
      if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) return;
    }
  }
}

export function parseTypeText(text: string): TypeNode {
  return parseType(new Cursor(text));
}

function parseType(cursor: Cursor): TypeNode {
  let node = parseBase(cursor);
  while (cursor.eat('[')) {
    const length = cursor.number();
    cursor.eat(']');
    node = length === undefined ? { kind: 'list', item: node } : { kind: 'list', item: node, length };
  }
  return node;
}

function parseBase(cursor: Cursor): TypeNode {
  let name = cursor.word().toUpperCase();
  // Multi-word names: TIMESTAMP WITH TIME ZONE, TIME WITH TIME ZONE, DOUBLE PRECISION.
  for (;;) {
    const save = cursor.pos;
    const next = cursor.word().toUpperCase();
    if (next && (next === 'WITH' || next === 'TIME' || next === 'ZONE' || next === 'PRECISION' || next === 'VARYING')) {
      name += ` ${next}`;
    } else {
      cursor.pos = save;
      break;
    }
  }
  if (cursor.peek() !== '(') return { kind: 'named', name, args: [] };
  switch (name) {
    case 'STRUCT':
    case 'ROW':
      return { kind: 'struct', fields: parseFields(cursor) };
    case 'UNION':
      return { kind: 'union', members: parseFields(cursor) };
    case 'MAP': {
      cursor.eat('(');
      const key = parseType(cursor);
      cursor.eat(',');
      const value = parseType(cursor);
      cursor.eat(')');
      return { kind: 'map', key, value };
    }
    case 'ENUM': {
      cursor.eat('(');
      const values: string[] = [];
      while (cursor.peek() === "'") {
        values.push(cursor.quoted("'"));
        cursor.eat(',');
      }
      cursor.eat(')');
      return { kind: 'enum', values };
    }
    default: {
      const start = cursor.pos;
      cursor.eat('(');
      const args: number[] = [];
      for (let n = cursor.number(); n !== undefined; n = cursor.number()) {
        args.push(n);
        if (!cursor.eat(',')) break;
      }
      if (!cursor.eat(')')) {
        cursor.pos = start;
        cursor.skipGroup();
      }
      return { kind: 'named', name, args };
    }
  }
}

function parseFields(cursor: Cursor): { name: string; type: TypeNode }[] {
  cursor.eat('(');
  const fields: { name: string; type: TypeNode }[] = [];
  while (cursor.peek() !== ')' && cursor.peek() !== '') {
    const name = cursor.peek() === '"' ? cursor.quoted('"') : cursor.word();
    if (!name) break;
    fields.push({ name, type: parseType(cursor) });
    if (!cursor.eat(',')) break;
  }
  cursor.eat(')');
  return fields;
}
