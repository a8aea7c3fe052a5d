/**
 * Arrow IPC stream of a DuckDB result: the schema message, then one record batch per DuckDB
 * chunk, then the end-of-stream marker, written as the chunks arrive.
 *
 * apache-arrow's writer only hands out bytes once it is finished, so each batch is written as
 * its own one-batch stream and the shared schema prefix and end marker are cut off. The
 * schema message is identical bytes for every batch (checked), so the pieces join into one
 * valid stream.
 */
import { RecordBatch, RecordBatchStreamWriter, Schema, Struct, Table, makeData } from 'apache-arrow';
import type { DuckDBResult } from '@duckdb/node-api';
import { resultColumns } from '../serialize/index.js';
import { arrowColumn } from './arrow-columns.js';
import { resultChunks } from './chunk-source.js';

const END_OF_STREAM_BYTES = 8;

/** The stream's pieces; `arrowStream` (format-stream.ts) loads this module on first use. */
export async function* arrowPieces(result: DuckDBResult): AsyncGenerator<Uint8Array> {
  const columns = resultColumns(result).map(arrowColumn);
  const schema = new Schema(columns.map((column) => column.field));
  const empty = RecordBatchStreamWriter.writeAll(new Table(schema)).toUint8Array(true);
  const head = empty.subarray(0, empty.length - END_OF_STREAM_BYTES);
  const end = empty.subarray(empty.length - END_OF_STREAM_BYTES);
  yield head;
  const structType = new Struct(schema.fields);
  for await (const chunk of resultChunks(result)) {
    const rowCount = chunk.rowCount;
    const children = columns.map((column, c) => column.build(chunk.getColumnVector(c), rowCount));
    const batch = new RecordBatch(schema, makeData({ type: structType, length: rowCount, nullCount: 0, children }));
    const bytes = RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
    if (!Buffer.from(bytes.buffer, bytes.byteOffset, head.length).equals(head)) {
      throw new Error('Arrow schema message changed between batches');
    }
    yield bytes.subarray(head.length, bytes.length - END_OF_STREAM_BYTES);
  }
  yield end;
}
