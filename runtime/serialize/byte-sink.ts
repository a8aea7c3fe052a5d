/**
 * A growing byte buffer that large results are written into, piece by piece.
 *
 * Building a chunk's text as a JS string costs a string per value, a rope of them, and a
 * UTF-8 encoding when it reaches the socket; writing bytes straight into a buffer costs
 * none of that. Pieces are handed out as views of a slab that later pieces do not touch,
 * so the socket may hold several while the next is written.
 */

/** The largest slab a sink allocates unless one piece needs more; it starts small and doubles up to it. */
const SLAB_BYTES = 1 << 20;
const FIRST_SLAB_BYTES = 1 << 12;

export class ByteSink {
  buf: Buffer;
  pos = 0;
  /** Where the piece being written starts in `buf`. */
  private start = 0;

  constructor(slabBytes = FIRST_SLAB_BYTES) {
    this.buf = Buffer.allocUnsafe(slabBytes);
  }

  /** A slab size for `need` bytes: double the last, up to SLAB_BYTES, never less than twice `need`. */
  private nextSlab(need: number): Buffer {
    return Buffer.allocUnsafe(Math.max(Math.min(2 * this.buf.length, SLAB_BYTES), 2 * need));
  }

  /** Makes room for `n` more bytes after `pos`. */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const used = this.pos - this.start;
    // A new slab, big enough for the piece so far and the request; the old one stays with its pieces.
    const next = this.nextSlab(used + n);
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
      this.buf = this.nextSlab(piece.length);
      this.start = this.pos = 0;
    }
    return piece;
  }

  /** Bytes written since the last piece. */
  get pending(): number {
    return this.pos - this.start;
  }

  /** Any text, as UTF-8. */
  text(text: string): void {
    this.reserve(text.length * 3);
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.pos++] = b;
  }
}
