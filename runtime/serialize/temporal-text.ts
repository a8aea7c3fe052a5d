/**
 * ISO-8601 text for DuckDB's temporal values, computed from the raw integers.
 *
 * The value classes' own `toString()` gives DuckDB's display form (space separator, `(BC)`
 * suffix, a wrong year for `infinity` dates), so these build the JSON form directly. They run
 * once per value on hot paths: plain number arithmetic, bigint only when a value is beyond
 * 2^53 microseconds (the year ~2255).
 */

const MICROS_PER_DAY = 86_400_000_000;
const MICROS_PER_DAY_BIG = 86_400_000_000n;
const INT64_MAX = 9_223_372_036_854_775_807n;
const INT32_MAX = 2_147_483_647;

/** Converts days since 1970-01-01 into `YYYY-MM-DD` (proleptic Gregorian, astronomical years). */
export function dateText(days: number): string {
  if (days === INT32_MAX) return 'infinity';
  if (days === -INT32_MAX) return '-infinity';
  civilDate(days, CIVIL);
  return `${yearText(CIVIL[0]!)}-${pad2(CIVIL[1]!)}-${pad2(CIVIL[2]!)}`;
}

const CIVIL = new Int32Array(3);

/**
 * Year, month and day of days since 1970-01-01 into `out` (a scratch array: the byte
 * writers call this per row). Civil-from-days (H. Hinnant), valid for the whole range
 * DuckDB stores.
 */
export function civilDate(days: number, out: Int32Array): void {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (month <= 2 ? 1 : 0);
  out[1] = month;
  out[2] = doy - Math.floor((153 * mp + 2) / 5) + 1;
}

function yearText(year: number): string {
  if (year >= 0 && year <= 9999) return year < 1000 ? String(year).padStart(4, '0') : String(year);
  // ISO-8601 expanded years keep the sign.
  return year < 0 ? `-${String(-year).padStart(4, '0')}` : `+${year}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Fractional seconds without trailing zeros, or '' when whole (as DuckDB prints them). */
function fraction(units: number, digits: number): string {
  if (units === 0) return '';
  let text = String(units).padStart(digits, '0');
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  text = text.slice(0, end);
  return `.${text}`;
}

/** `HH:MM:SS[.ffffff]` from microseconds since midnight. */
export function timeOfDayText(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const frac = micros - seconds * 1_000_000;
  return `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}${fraction(frac, 6)}`;
}

/** `HH:MM:SS[.fffffffff]` from nanoseconds since midnight. */
export function timeOfDayNanosText(nanos: bigint): string {
  const seconds = Number(nanos / 1_000_000_000n);
  const frac = Number(nanos % 1_000_000_000n);
  return `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}${fraction(frac, 9)}`;
}

/** `+HH:MM` (or `+HH:MM:SS`) from an offset in seconds east of UTC. */
export function offsetText(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const abs = Math.abs(offsetSeconds);
  const secs = abs % 60;
  return `${sign}${pad2(Math.floor(abs / 3600))}:${pad2(Math.floor(abs / 60) % 60)}${secs ? `:${pad2(secs)}` : ''}`;
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.ffffff]` from microseconds since the epoch; `suffix` is appended
 * (`Z` for TIMESTAMPTZ). Infinite timestamps become `infinity` / `-infinity`.
 */
export function timestampMicrosText(micros: bigint, suffix = ''): string {
  if (micros === INT64_MAX) return 'infinity';
  if (micros === -INT64_MAX) return '-infinity';
  let days: number;
  let rest: number;
  const asNumber = Number(micros);
  if (Number.isSafeInteger(asNumber)) {
    days = Math.floor(asNumber / MICROS_PER_DAY);
    rest = asNumber - days * MICROS_PER_DAY;
  } else {
    let bigDays = micros / MICROS_PER_DAY_BIG;
    let bigRest = micros % MICROS_PER_DAY_BIG;
    if (bigRest < 0n) {
      bigDays -= 1n;
      bigRest += MICROS_PER_DAY_BIG;
    }
    days = Number(bigDays);
    rest = Number(bigRest);
  }
  return `${dateText(days)}T${timeOfDayText(rest)}${suffix}`;
}

/** Same as {@link timestampMicrosText} for nanosecond timestamps (nine fraction digits). */
export function timestampNanosText(nanos: bigint): string {
  if (nanos === INT64_MAX) return 'infinity';
  if (nanos === -INT64_MAX) return '-infinity';
  const perDay = MICROS_PER_DAY_BIG * 1000n;
  let days = nanos / perDay;
  let rest = nanos % perDay;
  if (rest < 0n) {
    days -= 1n;
    rest += perDay;
  }
  return `${dateText(Number(days))}T${timeOfDayNanosText(rest)}`;
}

/**
 * ISO-8601 duration (`P1Y2M3DT4H5M6.5S`) from DuckDB's interval parts. DuckDB keeps months,
 * days and microseconds separately, each with its own sign, so each component keeps its sign
 * (`PT-1H-30M`); a zero interval is `PT0S`.
 */
export function intervalText(months: number, days: number, micros: bigint): string {
  let text = 'P';
  const years = Math.trunc(months / 12);
  const restMonths = months - years * 12;
  if (years) text += `${years}Y`;
  if (restMonths) text += `${restMonths}M`;
  if (days) text += `${days}D`;
  if (micros !== 0n) {
    const negative = micros < 0n;
    const abs = negative ? -micros : micros;
    const sign = negative ? '-' : '';
    const hours = abs / 3_600_000_000n;
    const minutes = (abs / 60_000_000n) % 60n;
    const seconds = Number((abs / 1_000_000n) % 60n);
    const frac = Number(abs % 1_000_000n);
    text += 'T';
    if (hours) text += `${sign}${hours}H`;
    if (minutes) text += `${sign}${minutes}M`;
    if (seconds || frac) text += `${sign}${seconds}${fraction(frac, 6)}S`;
  }
  return text === 'P' ? 'PT0S' : text;
}
