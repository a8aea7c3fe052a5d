/**
 * VARCHAR bytes written as a JSON string or a CSV field, straight from DuckDB's UTF-8.
 *
 * For valid UTF-8 the bytes are those of `JSON.stringify` (or `csvField`) of the decoded
 * string encoded back to UTF-8: only ASCII is ever escaped, and no ASCII byte occurs
 * inside a multi-byte sequence. Two inputs would differ, so they are refused (-1) and the
 * caller decodes them the usual way: invalid UTF-8, which the decoder replaces with
 * U+FFFD, and a leading byte order mark, which it drops.
 */
import { isUtf8 } from 'node:buffer';

const HEX = '0123456789abcdef';

/** Escapes of JSON.stringify for ASCII below 0x20, `"` and `\`: 0 = none, else the letter after `\`. */
const SHORT_ESCAPE = new Uint8Array(128);
for (const [code, letter] of [[8, 'b'], [9, 't'], [10, 'n'], [12, 'f'], [13, 'r'], [34, '"'], [92, '\\']] as const) {
  SHORT_ESCAPE[code] = letter.charCodeAt(0);
}

function decodesUnchanged(bytes: Uint8Array, start: number, length: number): boolean {
  if (length >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) return false;
  return isUtf8(bytes.subarray(start, start + length));
}

/** The JSON string at `pos` (room for `6 × length + 2` bytes); the end, or -1 when refused. */
export function putJsonString(buf: Uint8Array, pos: number, bytes: Uint8Array, start: number, length: number): number {
  let high = false;
  buf[pos++] = 34;
  const end = start + length;
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b >= 0x20 && b !== 34 && b !== 92) {
      if (b >= 0x80) high = true;
      buf[pos++] = b;
      continue;
    }
    buf[pos++] = 92;
    const letter = SHORT_ESCAPE[b]!;
    if (letter !== 0) buf[pos++] = letter;
    else {
      buf[pos++] = 117;
      buf[pos++] = 48;
      buf[pos++] = 48;
      buf[pos++] = HEX.charCodeAt(b >> 4);
      buf[pos++] = HEX.charCodeAt(b & 15);
    }
  }
  buf[pos++] = 34;
  return high && !decodesUnchanged(bytes, start, length) ? -1 : pos;
}

/**
 * RFC 4180 as csvField writes it (room for `2 × length + 2` bytes): quoted when holding
 * `"`, `,`, CR or LF, the empty string as `""`. The end, or -1 when refused.
 */
export function putCsvField(buf: Uint8Array, pos: number, bytes: Uint8Array, start: number, length: number): number {
  const end = start + length;
  let quote = length === 0;
  let high = false;
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b === 34 || b === 44 || b === 13 || b === 10) quote = true;
    else if (b >= 0x80) high = true;
  }
  if (high && !decodesUnchanged(bytes, start, length)) return -1;
  if (!quote) {
    for (let i = start; i < end; i++) buf[pos++] = bytes[i]!;
    return pos;
  }
  buf[pos++] = 34;
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    buf[pos++] = b;
    if (b === 34) buf[pos++] = 34;
  }
  buf[pos++] = 34;
  return pos;
}
