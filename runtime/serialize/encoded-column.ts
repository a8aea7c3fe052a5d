/**
 * One chunk's values of one column, encoded back to back, and where each row's value ends.
 *
 * Large results are encoded column by column (one tight loop per column type, no call per
 * value) and then interleaved into rows by plain byte copies: that keeps numbers unboxed
 * and every loop monomorphic, which a call per value through a per-column function does not.
 * The buffers are kept between chunks.
 */

/** Bytes kept free past the end of what is written, for copies a word at a time (row-bytes.ts). */
export const WORD_SLACK = 4;

export class EncodedColumn {
  bytes: Buffer = Buffer.allocUnsafe(1 << 14);
  /** `bytes` as a DataView, for row-bytes.ts. */
  view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length);
  /** Row `r`'s value is `bytes[ends[r - 1] (0 for the first) .. ends[r]]`. */
  ends = new Int32Array(2048);

  /** Room for `rowCount` row ends; call before encoding a chunk. */
  start(rowCount: number): void {
    if (this.ends.length < rowCount) this.ends = new Int32Array(rowCount);
  }

  /** `bytes`, grown to hold at least `need` bytes after `pos` (the first `pos` kept). */
  room(pos: number, need: number): Buffer {
    if (pos + need + WORD_SLACK > this.bytes.length) {
      const next = Buffer.allocUnsafe(Math.max(2 * this.bytes.length, pos + need + WORD_SLACK));
      this.bytes.copy(next, 0, 0, pos);
      this.bytes = next;
      this.view = new DataView(next.buffer, next.byteOffset, next.length);
    }
    return this.bytes;
  }
}

/** 10^k for k = 0..15: the digit count of a safe integer without dividing. */
const POW10 = new Float64Array(16).map((_, k) => 10 ** k);

/** The decimal digits of a safe integer at `pos`, as `String(n)` writes them; returns the end. */
export function putInt(buf: Uint8Array, pos: number, n: number): number {
  if (n < 0) {
    buf[pos++] = 45;
    n = -n;
  }
  let digits = 1;
  while (digits < 16 && n >= POW10[digits]!) digits++;
  const end = pos + digits;
  let at = end;
  if (n < 2_147_483_648) {
    let m = n | 0;
    while (m >= 10) {
      const q = (m / 10) | 0;
      buf[--at] = 48 + (m - q * 10);
      m = q;
    }
    buf[--at] = 48 + m;
  } else {
    while (n >= 10) {
      const q = Math.floor(n / 10);
      buf[--at] = 48 + (n - q * 10);
      n = q;
    }
    buf[--at] = 48 + n;
  }
  return end;
}

/** ASCII text at `pos` (the caller has made room); returns the end. */
export function putAscii(buf: Uint8Array, pos: number, text: string): number {
  for (let i = 0; i < text.length; i++) buf[pos++] = text.charCodeAt(i);
  return pos;
}
