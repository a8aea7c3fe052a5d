/**
 * Shapes what a tool call returns. An agent reads `content`, so the rows go there as
 * JSON text, with a plain sentence when rows were cut at `max-rows` or another page
 * exists; programs read the same data from `structuredContent`. Failures are results
 * with `isError`, never protocol errors, so the agent sees why and can retry.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FieldError } from '../params/index.js';
import type { Row, RunOutcome } from './run-endpoint.js';

export const REDACTED = '<redacted>';

/** Masks the named columns (case-insensitive) so the agent sees that they exist but not their values. */
export function redactRows(rows: Row[], columns: readonly string[] | undefined): Row[] {
  if (columns === undefined || columns.length === 0 || rows.length === 0) return rows;
  const hidden = new Set(columns.map((c) => c.toLowerCase()));
  const keys = Object.keys(rows[0]!).filter((k) => hidden.has(k.toLowerCase()));
  if (keys.length === 0) return rows;
  return rows.map((row) => {
    const out = { ...row };
    for (const key of keys) out[key] = REDACTED;
    return out;
  });
}

export function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

export function invalidArgumentsResult(errors: readonly FieldError[]): CallToolResult {
  const lines = errors.map((e) => `- ${e.field}: ${e.message}`);
  return {
    isError: true,
    content: [{ type: 'text', text: `Invalid arguments:\n${lines.join('\n')}` }],
    structuredContent: { errors: errors.map((e) => ({ field: e.field, message: e.message })) },
  };
}

/** Says that rows were cut off at the cap, and what to do about it. */
export function truncationNote(maxRows: number, what: string): string {
  return `Only the first ${maxRows} rows are shown (${what} returns at most ${maxRows}); more rows matched. Narrow the request with its parameters.`;
}

export function rowsResult(outcome: Extract<RunOutcome, { ok: true }>, redactColumns: readonly string[] | undefined): CallToolResult {
  if (outcome.rowsAffected !== undefined) {
    return {
      content: [{ type: 'text', text: JSON.stringify({ rows_affected: outcome.rowsAffected }) }],
      structuredContent: { rows_affected: outcome.rowsAffected },
    };
  }
  const rows = redactRows(outcome.rows, redactColumns);
  const content: CallToolResult['content'] = [{ type: 'text', text: JSON.stringify(rows) }];
  const structured: Record<string, unknown> = { rows, row_count: rows.length, truncated: outcome.truncated };
  if (outcome.truncated) {
    content.push({ type: 'text', text: truncationNote(outcome.maxRows, 'this tool') });
  } else if (outcome.nextOffset !== undefined) {
    content.push({ type: 'text', text: `More rows may follow: call again with offset ${outcome.nextOffset}.` });
    structured['next_offset'] = outcome.nextOffset;
  }
  return { content, structuredContent: structured };
}
