/**
 * Encoded columns interleaved into rows: per row, each column's constant prefix (a JSON
 * key, a CSV comma) and its value, then the row's end; a separator between rows. The
 * output size is known before the first byte, so the sink grows at most once per chunk.
 *
 * Bytes are moved four at a time through DataViews (2–3× faster than byte by byte): a
 * copy may read up to 3 bytes past its source and write up to 3 past its end, which the
 * next copy overwrites; sources and the sink keep that much slack (WORD_SLACK).
 */
import type { ByteSink } from './byte-sink.js';
import { WORD_SLACK, type EncodedColumn } from './encoded-column.js';

export class RowLayout {
  /** The prefixes back to back, then the row end, then slack. */
  private readonly constant: DataView;
  private readonly rowEnd: Uint8Array;
  /** Where each column's prefix ends in `constant`. */
  private readonly prefixEnds: Int32Array;
  private readonly cursors: Int32Array;

  constructor(prefixes: readonly string[], rowEnd: string) {
    const parts = prefixes.map((text) => Buffer.from(text, 'utf8'));
    const constant = Buffer.concat([...parts, Buffer.alloc(WORD_SLACK)]);
    this.constant = new DataView(constant.buffer, constant.byteOffset, constant.length);
    this.rowEnd = Buffer.from(rowEnd, 'utf8');
    this.prefixEnds = new Int32Array(prefixes.length);
    let end = 0;
    for (let c = 0; c < prefixes.length; c++) this.prefixEnds[c] = end += parts[c]!.length;
    this.cursors = new Int32Array(prefixes.length);
  }

  write(sink: ByteSink, columns: readonly EncodedColumn[], rowCount: number, separator: Uint8Array): void {
    if (rowCount === 0) return;
    const columnCount = columns.length;
    const constant = this.constant;
    const prefixEnds = this.prefixEnds;
    const rowEnd = this.rowEnd;
    const cursors = this.cursors.fill(0);
    const prefixBytes = columnCount === 0 ? 0 : prefixEnds[columnCount - 1]!;
    let total = rowCount * (prefixBytes + rowEnd.length) + (rowCount - 1) * separator.length;
    for (let c = 0; c < columnCount; c++) total += columns[c]!.ends[rowCount - 1]!;
    sink.reserve(total + WORD_SLACK);
    const buf = sink.buf;
    const out = new DataView(buf.buffer, buf.byteOffset, buf.length);
    let pos = sink.pos;
    for (let r = 0; r < rowCount; r++) {
      if (r > 0) for (let i = 0; i < separator.length; i++) buf[pos++] = separator[i]!;
      let k = 0;
      for (let c = 0; c < columnCount; c++) {
        const prefixEnd = prefixEnds[c]!;
        for (let from = k, to = pos; from < prefixEnd; from += 4, to += 4) out.setUint32(to, constant.getUint32(from, true), true);
        pos += prefixEnd - k;
        k = prefixEnd;
        const column = columns[c]!;
        const view = column.view;
        const start = cursors[c]!;
        const end = column.ends[r]!;
        for (let from = start, to = pos; from < end; from += 4, to += 4) out.setUint32(to, view.getUint32(from, true), true);
        pos += end - start;
        cursors[c] = end;
      }
      for (let i = 0; i < rowEnd.length; i++) buf[pos++] = rowEnd[i]!;
    }
    sink.pos = pos;
  }
}
