/**
 * A growing byte buffer that large results are encoded into, piece by piece.
 *
 * Building a chunk's text as a JS string costs a string per value, a rope of them, and a
 * UTF-8 encoding when it reaches the socket; writing bytes straight into a buffer costs
 * none of that. Pieces are handed out as views of a slab that later pieces do not touch,
 * so the socket may hold several while the next is written.
 */

const SLAB_BYTES = 1 << 20;

/** 10^k for k = 0..15: the digit count of a safe integer without dividing. */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

export class ByteSink {
  buf: Buffer;
  pos = 0;
  /** Where the piece being written starts in `buf`. */
  private start = 0;

  constructor(slabBytes = SLAB_BYTES) {
    this.buf = Buffer.allocUnsafe(slabBytes);
  }

  /** Makes room for `n` more bytes after `pos`. */
  reserve(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    const used = this.pos - this.start;
    // A new slab, big enough for the piece so far and the request; the old one stays with its pieces.
    const next = Buffer.allocUnsafe(Math.max(SLAB_BYTES, 2 * (used + n)));
    this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.start = 0;
    this.pos = used;
  }

  /** The bytes written since the last piece; the sink goes on after them. */
  take(): Buffer {
    const piece = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    // Pieces are alike in size: when the next would not fit, start the next slab now, before
    // writing it, rather than copy it over half-written.
    if (this.buf.length - this.pos < piece.length) {
      this.buf = Buffer.allocUnsafe(Math.max(SLAB_BYTES, 2 * piece.length));
      this.start = this.pos = 0;
    }
    return piece;
  }

  /** Bytes of the piece being written. */
  get pieceLength(): number {
    return this.pos - this.start;
  }

  bytes(src: Uint8Array): void {
    const n = src.length;
    this.reserve(n);
    const buf = this.buf;
    let pos = this.pos;
    // A call into the native copy costs more than a short loop.
    if (n < 64) for (let i = 0; i < n; i++) buf[pos++] = src[i]!;
    else {
      buf.set(src, pos);
      pos += n;
    }
    this.pos = pos;
  }

  /** Any text, as UTF-8. */
  text(text: string): void {
    this.reserve(text.length * 3);
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  /** Text known to be ASCII (digits, signs, temporal text). */
  ascii(text: string): void {
    const n = text.length;
    this.reserve(n);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < n; i++) buf[pos++] = text.charCodeAt(i);
    this.pos = pos;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.pos++] = b;
  }

  /** The decimal digits of a safe integer, as `String(n)` writes them. */
  int(n: number): void {
    this.reserve(17);
    const buf = this.buf;
    let pos = this.pos;
    if (n < 0) {
      buf[pos++] = 45;
      n = -n;
    }
    if (n < 10) {
      buf[pos++] = 48 + n;
      this.pos = pos;
      return;
    }
    let digits = 2;
    while (digits < 16 && n >= POW10[digits]!) digits++;
    let at = pos + digits;
    this.pos = at;
    if (n < 2_147_483_648) {
      while (n >= 10) {
        const q = (n / 10) | 0;
        buf[--at] = 48 + (n - q * 10);
        n = q;
      }
    } else {
      while (n >= 10) {
        const q = Math.floor(n / 10);
        buf[--at] = 48 + (n - q * 10);
        n = q;
      }
    }
    buf[--at] = 48 + n;
  }

  /** Two digits, zero-padded (0..99); the caller has reserved room. */
  pad2(n: number): void {
    const tens = (n / 10) | 0;
    this.buf[this.pos++] = 48 + tens;
    this.buf[this.pos++] = 48 + (n - tens * 10);
  }
}
