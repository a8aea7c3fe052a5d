/**
 * Runs a plan's SQL on a lent connection. Reads are refused unless they are a single
 * SELECT (`readOnly` prepare); a page and its total come from one snapshot; writes run
 * in their transaction and move the data version. Surfaces only choose what to do with
 * the result: HTTP writes JSON text, MCP needs row objects.
 */
import type { DuckDBMaterializedResult, DuckDBPreparedStatement } from '@duckdb/node-api';
import { bindValues, type Database, type PooledConnection } from '../db/index.js';
import { rowObjectsFromResult, type BigintMode, type JsonRow } from '../serialize/index.js';
import type { BoundValue, RenderedSql } from '../template/index.js';
import { CountCache } from './count-cache.js';
import type { EndpointPlan } from './endpoint-plan.js';
import { countSql, pageSql, pageValues, totalFromPage } from './pagination.js';
import type { ReadQuery } from './read-query.js';
import { rowsJson, type RowsJson } from './rows-json.js';
import { splitStatements } from './split-statements.js';

export interface WriteOutcome {
  /** The last statement and its result: a write's rows (RETURNING, or a closing SELECT) come from it. */
  statement: DuckDBPreparedStatement;
  result: DuckDBMaterializedResult;
  /** Rows every statement of the template changed, together. */
  rowsAffected: number;
}

export interface PlanExecutor {
  readonly plan: EndpointPlan;
  readonly database: Database;
  /** The rows of a read as JSON text. */
  jsonRows(lease: PooledConnection, query: ReadQuery): Promise<RowsJson>;
  /** A page (`query.page` set) and the total row count of the unpaged query. */
  jsonPage(lease: PooledConnection, rendered: RenderedSql, query: ReadQuery): Promise<{ rows: RowsJson; total: number }>;
  /** The rows of a read as objects (bounded reads only: MCP caps every one). */
  rowObjects(lease: PooledConnection, query: ReadQuery): Promise<JsonRow[]>;
  write(lease: PooledConnection, rendered: RenderedSql): Promise<WriteOutcome>;
}

async function prepared(lease: PooledConnection, sql: string, values: readonly BoundValue[]): Promise<DuckDBPreparedStatement> {
  const statement = await lease.prepare(sql, { readOnly: true });
  bindValues(statement, values);
  return statement;
}

async function runJson(lease: PooledConnection, sql: string, values: readonly BoundValue[], bigint: BigintMode): Promise<RowsJson> {
  const statement = await prepared(lease, sql, values);
  return rowsJson(statement, await statement.run(), bigint);
}

async function runCount(lease: PooledConnection, sql: string, values: readonly BoundValue[]): Promise<number> {
  const statement = await prepared(lease, countSql(sql), values);
  const total = (await (await statement.run()).getRows())[0]?.[0];
  return Number(total ?? 0);
}

/**
 * A page and its total from one snapshot: a cache refresh committing between the two
 * queries would otherwise give the rows of one version and the count of the next.
 */
async function pageAndCount(lease: PooledConnection, rendered: RenderedSql, limit: number, offset: number, bigint: BigintMode): Promise<{ rows: RowsJson; total: number }> {
  await lease.connection.run('BEGIN TRANSACTION');
  try {
    const rows = await runJson(lease, pageSql(rendered.sql, rendered.values.length), pageValues(rendered.values, limit, offset), bigint);
    const total = totalFromPage(limit, offset, rows.rowCount) ?? (await runCount(lease, rendered.sql, rendered.values));
    await lease.connection.run('COMMIT');
    return { rows, total };
  } catch (err) {
    await lease.connection.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

export function createPlanExecutor(plan: EndpointPlan, database: Database): PlanExecutor {
  const counts = plan.paging === 'outer' ? new CountCache(() => database.dataVersion) : undefined;
  return {
    plan,
    database,
    jsonRows: (lease, query) => runJson(lease, query.sql, query.values, plan.bigint),
    async jsonPage(lease, rendered, query) {
      const { limit, offset } = query.page!;
      const version = database.dataVersion;
      const known = counts?.get(rendered.sql, rendered.values);
      if (known !== undefined) {
        const rows = await runJson(lease, query.sql, query.values, plan.bigint);
        // A short last page tells the total too; a remembered count holds while the data version does.
        const total = totalFromPage(limit, offset, rows.rowCount) ?? (database.dataVersion === version ? known : undefined);
        if (total !== undefined) return { rows, total };
      }
      const out = await pageAndCount(lease, rendered, limit, offset, plan.bigint);
      counts?.set(rendered.sql, rendered.values, out.total, version);
      return out;
    },
    async rowObjects(lease, query) {
      const statement = await prepared(lease, query.sql, query.values);
      return rowObjectsFromResult(await statement.run(), plan.bigint);
    },
    async write(lease, rendered) {
      // Moved before as well as after: a read that prepares while the write runs must not keep
      // its statement past the write (see runtime/db/statement-cache.ts). It moves even on
      // failure: a half-applied write outside a transaction changed data.
      const statements = splitStatements(rendered);
      // Several statements always run as one: a template is one write, never half of it.
      const transaction = plan.endpoint.operation.transaction || statements.length > 1;
      database.markDataChanged();
      if (transaction) await lease.connection.run('BEGIN TRANSACTION');
      try {
        let last: { statement: DuckDBPreparedStatement; result: DuckDBMaterializedResult } | undefined;
        let rowsAffected = 0;
        for (const one of statements) {
          const statement = await lease.prepare(one.sql);
          bindValues(statement, one.values);
          const result = await statement.run();
          rowsAffected += result.rowsChanged;
          last = { statement, result };
        }
        if (transaction) await lease.connection.run('COMMIT');
        return { ...last!, rowsAffected };
      } catch (err) {
        if (transaction) await lease.connection.run('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        database.markDataChanged();
      }
    },
  };
}
