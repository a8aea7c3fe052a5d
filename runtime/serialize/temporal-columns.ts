/**
 * DATE, TIMESTAMP and TIMESTAMPTZ columns encoded from the vector's memory: the years
 * 0000–9999 by temporal-bytes.ts, every other value (infinities, expanded years) by the
 * text functions of temporal-text.ts.
 */
import { isNull, openColumn, type ByteDialect, type ColumnBytes } from './column-encoding.js';
import { putAscii } from './encoded-column.js';
import { SAFE_HIGH, TWO_32 } from './raw-vectors.js';
import { putDate, putTimeOfDay } from './temporal-bytes.js';
import { dateText, timestampMicrosText } from './temporal-text.js';

export function dateColumn(dialect: ByteDialect): ColumnBytes {
  const { nullText, quoteTemporal } = dialect;
  return {
    encode(chunk, column, rowCount, out) {
      // `-infinity` or an expanded year (+5881580-07-11), two quotes.
      const { items: days, validity, buf } = openColumn(chunk, column, rowCount, 4, Int32Array, out, Math.max(18, nullText.length));
      const ends = out.ends;
      let pos = 0;
      for (let r = 0; r < rowCount; r++) {
        if (isNull(validity, r)) pos = putAscii(buf, pos, nullText);
        else {
          if (quoteTemporal) buf[pos++] = 34;
          const end = putDate(buf, pos, days[r]!);
          pos = end >= 0 ? end : putAscii(buf, pos, dateText(days[r]!));
          if (quoteTemporal) buf[pos++] = 34;
        }
        ends[r] = pos;
      }
    },
  };
}

const MICROS_PER_DAY = 86_400_000_000;

export function timestampColumn(dialect: ByteDialect, suffix: string): ColumnBytes {
  const { nullText, quoteTemporal } = dialect;
  return {
    encode(chunk, column, rowCount, out) {
      // An expanded year (-290308-12-21T19:59:05.224192), a suffix, two quotes.
      const { data, items: words, validity, buf } = openColumn(chunk, column, rowCount, 8, Int32Array, out, Math.max(34 + suffix.length, nullText.length));
      const ends = out.ends;
      let pos = 0;
      // The previous row's value and where its text lies in `buf`: sorted data repeats timestamps.
      let lastLow = 0;
      let lastHigh = 0;
      let lastStart = 0;
      let lastEnd = -1;
      for (let r = 0; r < rowCount; r++) {
        if (isNull(validity, r)) {
          pos = putAscii(buf, pos, nullText);
          ends[r] = pos;
          continue;
        }
        const low = words[2 * r]!;
        const high = words[2 * r + 1]!;
        if (low === lastLow && high === lastHigh && lastEnd >= 0) {
          for (let i = lastStart; i < lastEnd; i++) buf[pos++] = buf[i]!;
          ends[r] = pos;
          continue;
        }
        const start = pos;
        if (quoteTemporal) buf[pos++] = 34;
        let end = -1;
        if (high < SAFE_HIGH && high >= -SAFE_HIGH) {
          const micros = high * TWO_32 + (low >>> 0);
          const days = Math.floor(micros / MICROS_PER_DAY);
          const rest = micros - days * MICROS_PER_DAY;
          const seconds = Math.floor(rest / 1_000_000);
          end = putDate(buf, pos, days);
          if (end >= 0) end = putAscii(buf, putTimeOfDay(buf, end, seconds, rest - seconds * 1_000_000), suffix);
        }
        if (end < 0) end = putAscii(buf, pos, timestampMicrosText(new BigInt64Array(data.buffer as ArrayBuffer, data.byteOffset, rowCount)[r]!, suffix));
        pos = end;
        if (quoteTemporal) buf[pos++] = 34;
        ends[r] = pos;
        lastLow = low;
        lastHigh = high;
        lastStart = start;
        lastEnd = pos;
      }
    },
  };
}

