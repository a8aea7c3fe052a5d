/**
 * Reads answered in a format other than buffered JSON: CSV, NDJSON and Arrow stream
 * straight from a streaming DuckDB result; Parquet is written by DuckDB to a temp file
 * and streamed from there. The request timeout covers the time to the first byte in
 * every format: the first chunk (or the whole COPY) is in hand before the response
 * starts, so a slow query still gets a clean 503. A streamed body keeps its connection
 * until the body closes.
 */
import type { Context } from 'koa';
import type { DuckDBResult } from '@duckdb/node-api';
import type { PooledConnection } from '../db/index.js';
import { bindValues } from '../db/index.js';
import {
  CONTENT_TYPES,
  contentDisposition,
  formatStream,
  parquetExport,
  type ResponseFormat,
  type StreamedFormat,
} from '../formats/index.js';
import type { QueryGuard } from '../plan/index.js';
import type { BoundValue } from '../template/index.js';
import type { BigintMode } from '../serialize/index.js';

export interface FormatRequest {
  ctx: Context;
  format: Exclude<ResponseFormat, 'json'>;
  lease: PooledConnection;
  sql: string;
  values: readonly BoundValue[];
  /** File name stem for downloads. */
  name: string;
  /** Gives the connection back (and stops the guard); called exactly once. */
  release: () => void;
  /** Settled once the first byte is ready. */
  guard: QueryGuard;
  bigint: BigintMode;
}

/** The result with its first chunk already fetched, replayed before the rest. */
async function prefetched(result: DuckDBResult): Promise<DuckDBResult> {
  let pending: Awaited<ReturnType<DuckDBResult['fetchChunk']>> | undefined = await result.fetchChunk();
  const replay = Object.create(result) as DuckDBResult;
  replay.fetchChunk = async () => {
    if (pending !== undefined) {
      const chunk = pending;
      pending = undefined;
      return chunk;
    }
    return result.fetchChunk();
  };
  return replay;
}

export async function respondInFormat(request: FormatRequest): Promise<void> {
  const { ctx, format, lease, sql, values, name, guard } = request;
  let released = false;
  const releaseOnce = () => {
    if (released) return;
    released = true;
    request.release();
  };
  try {
    // The endpoint's own SQL must be a read whatever the format wraps it in.
    const statement = await lease.prepare(sql, { readOnly: true });
    const disposition = contentDisposition(format, name);
    if (disposition) ctx.set('Content-Disposition', disposition);
    if (format === 'parquet') {
      const exported = await parquetExport({
        sql,
        execute: async (copySql) => {
          // A fresh statement: each COPY names its own temp file, so caching it would only evict.
          const copy = await lease.connection.prepare(copySql);
          try {
            bindValues(copy, values);
            await copy.run();
          } finally {
            copy.destroySync();
          }
        },
      });
      releaseOnce();
      ctx.type = CONTENT_TYPES.parquet;
      ctx.length = exported.size;
      ctx.body = exported.stream;
      return;
    }
    bindValues(statement, values);
    const result = await prefetched(await statement.stream());
    guard.settle();
    const body = formatStream(format as StreamedFormat, result, { bigint: request.bigint });
    body.once('close', releaseOnce);
    ctx.type = CONTENT_TYPES[format];
    ctx.body = body;
  } catch (err) {
    releaseOnce();
    throw err;
  }
}
