/**
 * Hostile values for every parameter kind. Each must come back as a 400 or as exactly
 * the rows that match it taken literally; never a DuckDB error, never other rows.
 */
export const STRING_PAYLOADS: readonly string[] = [
  "' OR '1'='1",
  "' OR 1=1 --",
  "'; DROP TABLE people; --",
  "admin'--",
  "x' UNION SELECT id, secret FROM secrets --",
  '" OR ""="',
  '1; SELECT * FROM secrets',
  "'); DELETE FROM people; --",
  '/* comment */ name',
  '-- trailing comment',
  "\\'; SELECT 1; --",
  '$1',
  '?',
  '$$ OR 1=1 $$',
  '{{params.other}}',
  '{{{conn.secret}}}',
  '＇ OR ＇1＇=＇1',
  '‘ OR ‘1’=’1',
  'ʼ OR 1=1 --',
  'a\u0000b',
  '%',
  '_',
  "O'Hare",
  'x'.repeat(100 * 1024),
  '',
  ' ',
];

export const NUMBER_PAYLOADS: readonly string[] = [
  '1 OR 1=1',
  '1; DROP TABLE people',
  '1e3',
  '0x10',
  '0b1',
  '1_000',
  ' 1',
  '1 ',
  '+1',
  '-0',
  '1.0',
  'Infinity',
  'NaN',
  '١',
  '9'.repeat(400),
  '2147483648',
  '-9223372036854775809',
];

/** Names stored in the test table: some equal payloads, so a literal match has rows. */
export const PEOPLE: readonly string[] = ["' OR '1'='1", "O'Hare", 'admin', 'alice', '%', 'a_b', '＇ OR ＇1＇=＇1'];
