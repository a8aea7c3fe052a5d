/**
 * Reads answered in a format other than buffered JSON: CSV, NDJSON and Arrow stream
 * straight from a streaming DuckDB result; Parquet is written by DuckDB to a temp file
 * and streamed from there. A streamed body keeps its connection until the body closes.
 */
import type { Context } from 'koa';
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
import type { BoundValue } from '../template/index.js';

export interface FormatRequest {
  ctx: Context;
  format: Exclude<ResponseFormat, 'json'>;
  lease: PooledConnection;
  sql: string;
  values: readonly BoundValue[];
  /** File name stem for downloads. */
  name: string;
  /** Gives the connection back; called exactly once. */
  release: () => void;
}

export async function respondInFormat(request: FormatRequest): Promise<void> {
  const { ctx, format, lease, sql, values, name } = request;
  // The endpoint's own SQL must be a read whatever the format wraps it in.
  const statement = await lease.prepare(sql, { readOnly: true });
  const disposition = contentDisposition(format, name);
  if (disposition) ctx.set('Content-Disposition', disposition);

  if (format === 'parquet') {
    try {
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
      ctx.type = CONTENT_TYPES.parquet;
      ctx.length = exported.size;
      ctx.body = exported.stream;
    } finally {
      request.release();
    }
    return;
  }

  let released = false;
  const releaseOnce = () => {
    if (!released) {
      released = true;
      request.release();
    }
  };
  try {
    bindValues(statement, values);
    const result = await statement.stream();
    const body = formatStream(format as StreamedFormat, result);
    body.once('close', releaseOnce);
    ctx.type = CONTENT_TYPES[format];
    ctx.body = body;
  } catch (err) {
    releaseOnce();
    throw err;
  }
}
