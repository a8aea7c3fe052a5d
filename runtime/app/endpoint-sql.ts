/**
 * What HTTP handlers and MCP tools share about running an endpoint's SQL: which params
 * may be spliced, what the compiled template refers to, and the write path with its
 * optional transaction.
 */
import type { DuckDBMaterializedResult, DuckDBPreparedStatement } from '@duckdb/node-api';
import { bindValues, type Database, type PooledConnection } from '../db/index.js';
import type { EndpointSpec } from '../manifest.js';
import type { BoundValue, CompiledTemplate } from '../template/index.js';

/** Enum-validated params with their allowed values: the only request values the template may splice. */
export function enumParams(endpoint: EndpointSpec): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const p of endpoint.params) {
    for (const v of p.validators) if (v.type === 'enum') out.set(p.name, v.allowedValues);
  }
  return out;
}

/** The template pages itself (refers to `params.limit` / `params.offset`): no LIMIT/OFFSET is added around it. */
export function usesOwnPaging(template: CompiledTemplate): boolean {
  return template.references.some((r) => r.namespace === 'params' && (r.key === 'limit' || r.key === 'offset'));
}

/** The template reads `auth.*`, so the caller's identity must be rendered into it. */
export function usesAuth(template: CompiledTemplate): boolean {
  return template.references.some((r) => r.namespace === 'auth');
}

export interface WriteOutcome {
  statement: DuckDBPreparedStatement;
  result: DuckDBMaterializedResult;
}

/**
 * Runs a write endpoint, inside a transaction when the operation asks for one. The data
 * version moves even on failure: a half-applied write outside a transaction changed data.
 */
export async function runWrite(
  lease: PooledConnection,
  endpoint: EndpointSpec,
  sql: string,
  values: readonly BoundValue[],
  database: Database,
): Promise<WriteOutcome> {
  const transaction = endpoint.operation.transaction;
  // Moved before as well as after: a read that prepares while the write runs must not keep
  // its statement past the write (see runtime/db/statement-cache.ts).
  database.markDataChanged();
  if (transaction) await lease.connection.run('BEGIN TRANSACTION');
  try {
    const statement = await lease.prepare(sql);
    bindValues(statement, values);
    const result = await statement.run();
    if (transaction) await lease.connection.run('COMMIT');
    return { statement, result };
  } catch (err) {
    if (transaction) await lease.connection.run('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    database.markDataChanged();
  }
}
