/**
 * A tiny SQL lexer state machine. It reads the literal text between template tags and
 * tells the compiler what a tag would land in: plain SQL, a quoted string, a quoted
 * identifier or a comment. That decides whether a value is bound alone, bound as a
 * whole string literal, refused, or dropped.
 */

export type ScanState = 'sql' | 'string' | 'identifier' | 'line-comment' | 'block-comment';

/** Clause keywords after which a tag stands where SQL text, not a value, is expected. */
const TEXT_CLAUSES = new Set(['ORDER BY', 'GROUP BY', 'PARTITION BY']);
const TABLE_KEYWORDS = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE']);
const CLAUSE_PATTERN =
  /\b(ORDER\s+BY|GROUP\s+BY|PARTITION\s+BY|SELECT|FROM|JOIN|WHERE|HAVING|LIMIT|OFFSET|ON|USING|SET|VALUES|UNION|INTERSECT|EXCEPT|QUALIFY|WINDOW|INTO|UPDATE|TABLE|RETURNING)\b/gi;

export class SqlScanner {
  state: ScanState = 'sql';
  /** State changes during the last `feed`: the state from offset `at` on. */
  transitions: Array<{ at: number; state: ScanState }> = [];
  /** Last clause keyword seen in plain SQL, upper-cased with single spaces. */
  private clause = '';
  /** Plain SQL seen since that keyword (to tell `FROM {{x}}` from `FROM t WHERE a = {{x}}`). */
  private sinceClause = '';

  /** Feed literal template text; returns the state after it. */
  feed(text: string): ScanState {
    this.transitions = [];
    let plainStart = this.state === 'sql' ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      const next = text[i + 1];
      switch (this.state) {
        case 'sql':
          if (ch === "'") this.enter('string', text, plainStart, i);
          else if (ch === '"') this.enter('identifier', text, plainStart, i);
          else if (ch === '-' && next === '-') this.enter('line-comment', text, plainStart, i++);
          else if (ch === '/' && next === '*') this.enter('block-comment', text, plainStart, i++);
          if (this.state !== 'sql') plainStart = -1;
          break;
        case 'string':
          // A doubled quote is an escaped quote and keeps the string open.
          if (ch === "'") {
            if (next === "'") i++;
            else ({ plainStart } = this.leave(i));
          }
          break;
        case 'identifier':
          if (ch === '"') {
            if (next === '"') i++;
            else ({ plainStart } = this.leave(i));
          }
          break;
        case 'line-comment':
          if (ch === '\n') ({ plainStart } = this.leave(i));
          break;
        case 'block-comment':
          if (ch === '*' && next === '/') ({ plainStart } = this.leave(++i));
          break;
      }
    }
    if (this.state === 'sql' && plainStart >= 0) this.notePlain(text.slice(plainStart));
    return this.state;
  }

  /** True when a tag here stands where SQL text (a name, a sort key) is expected. */
  expectsSqlText(): boolean {
    if (TEXT_CLAUSES.has(this.clause)) return true;
    return TABLE_KEYWORDS.has(this.clause) && this.sinceClause.trim() === '';
  }

  /** A tag rendered in plain SQL counts as content after the clause keyword. */
  noteTag(): void {
    if (this.state === 'sql') this.sinceClause += ' x ';
  }

  /** True inside a SELECT list, where an enum may name a column. */
  inSelectList(): boolean {
    return this.clause === 'SELECT';
  }

  private enter(state: ScanState, text: string, plainStart: number, at: number): void {
    if (plainStart >= 0) this.notePlain(text.slice(plainStart, at));
    this.state = state;
    this.transitions.push({ at, state });
  }

  private leave(at: number): { plainStart: number } {
    this.state = 'sql';
    this.sinceClause += ' x ';
    this.transitions.push({ at: at + 1, state: 'sql' });
    return { plainStart: at + 1 };
  }

  private notePlain(sql: string): void {
    let last: RegExpExecArray | undefined;
    let match: RegExpExecArray | null;
    CLAUSE_PATTERN.lastIndex = 0;
    while ((match = CLAUSE_PATTERN.exec(sql)) !== null) last = match;
    if (last) {
      this.clause = last[1].toUpperCase().replace(/\s+/g, ' ');
      this.sinceClause = sql.slice(last.index + last[0].length);
    } else {
      this.sinceClause += sql;
    }
  }
}
