/**
 * The JSON body of an unpaginated read: buffered when small, streamed when large.
 *
 * Up to `bufferLimit` characters of JSON text the response is one string (cheap, gets an
 * ETag, can be kept by the response cache); past that the text so far goes out as the
 * start of a stream and every further chunk is written as the client takes it, so a
 * large export never sits in the heap whole. Streamed or not, the bytes are the same:
 * `[`, the rows' objects separated by `,`, `]`.
 *
 * How the query runs is chosen per endpoint, from what it returned before:
 * - materialised (`run()`): one round trip to DuckDB; the connection goes back to the
 *   pool as soon as the result is in, even if its text is then streamed. Every endpoint
 *   starts here: a point lookup costs ~20% more throughput when streamed.
 * - streaming (`stream()`): chunks are fetched as the client reads; the connection stays
 *   lent until the body closes, and DuckDB never holds the whole result either. An
 *   endpoint switches to it once one of its results outgrew the buffer, and back after
 *   `SMALL_STREAK` results in a row fitted in it.
 */
import { Readable } from 'node:stream';
import type { DuckDBDataChunk, DuckDBMaterializedResult, DuckDBResult } from '@duckdb/node-api';
import type { PooledConnection } from '../db/index.js';
import { bindValues } from '../db/index.js';
import type { BigintMode } from '../serialize/index.js';
import type { BoundValue } from '../template/index.js';
import { JsonBody } from './json-body.js';
import { jsonWriterFor } from './rows-json.js';

/** JSON text buffered before a response streams instead: 1 MiB (characters, or bytes once written as bytes). */
export const JSON_BUFFER_LIMIT = 1 << 20;

/** Streamed reads that fitted the buffer, in a row, before an endpoint materialises again. */
export const SMALL_STREAK = 16;

export type JsonRead =
  /** The whole body. */
  | { kind: 'buffered'; text: string; rowCount: number }
  /** A stream of the body; `holdsLease` when it gives the connection back itself, on close. */
  | { kind: 'streamed'; body: Readable; holdsLease: boolean };

export interface JsonReadRequest {
  lease: PooledConnection;
  sql: string;
  values: readonly BoundValue[];
  /** Gives the connection back; called by a streamed body that holds the lease. */
  release: () => void;
}

export interface JsonReader {
  read(request: JsonReadRequest): Promise<JsonRead>;
  /** True while the endpoint's reads use DuckDB's streaming execution (for tests). */
  readonly streaming: boolean;
}

function bodyOf(pieces: AsyncIterable<string | Buffer>): Readable {
  return Readable.from(pieces, { objectMode: false, highWaterMark: 64 * 1024 });
}

async function* materialisedRest(head: JsonBody, result: DuckDBMaterializedResult, next: number): AsyncGenerator<string | Buffer> {
  yield* head.pieces();
  const chunkCount = result.chunkCount;
  for (let i = next; i < chunkCount; i++) {
    const chunk = result.getChunk(i);
    if (chunk.rowCount > 0) yield head.continueWith(chunk);
  }
  yield ']';
}

async function* streamedRest(head: JsonBody, result: DuckDBResult): AsyncGenerator<string | Buffer> {
  yield* head.pieces();
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    yield head.continueWith(chunk);
  }
  yield ']';
}

export function createJsonReader(options: { bufferLimit?: number; bigint?: BigintMode } = {}): JsonReader {
  const bigint = options.bigint ?? 'auto';
  const limit = options.bufferLimit ?? JSON_BUFFER_LIMIT;
  let streaming = false;
  let smallInARow = 0;

  async function readMaterialised(request: JsonReadRequest): Promise<JsonRead> {
    const statement = await request.lease.prepare(request.sql, { readOnly: true });
    bindValues(statement, request.values);
    const result = await statement.run();
    const body = new JsonBody(jsonWriterFor(statement, result, bigint));
    const chunkCount = result.chunkCount;
    for (let i = 0; i < chunkCount; i++) {
      const chunk = result.getChunk(i);
      if (chunk.rowCount === 0) continue;
      body.add(chunk);
      if (body.size > limit && i + 1 < chunkCount) {
        streaming = true;
        smallInARow = 0;
        return { kind: 'streamed', body: bodyOf(materialisedRest(body, result, i + 1)), holdsLease: false };
      }
    }
    return { kind: 'buffered', text: body.text(), rowCount: body.rowCount };
  }

  async function readStreaming(request: JsonReadRequest): Promise<JsonRead> {
    const statement = await request.lease.prepare(request.sql, { readOnly: true });
    bindValues(statement, request.values);
    const result = await statement.stream();
    const head = new JsonBody(jsonWriterFor(statement, result, bigint));
    for (;;) {
      const chunk: DuckDBDataChunk | null = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      head.add(chunk);
      if (head.size > limit) {
        smallInARow = 0;
        const body = bodyOf(streamedRest(head, result));
        body.once('close', request.release);
        return { kind: 'streamed', body, holdsLease: true };
      }
    }
    if (++smallInARow >= SMALL_STREAK) streaming = false;
    return { kind: 'buffered', text: head.text(), rowCount: head.rowCount };
  }

  return {
    read: (request) => (streaming ? readStreaming(request) : readMaterialised(request)),
    get streaming() {
      return streaming;
    },
  };
}
