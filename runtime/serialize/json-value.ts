/** What a DuckDB value becomes in a response body. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One result row, keyed by column name. */
export type JsonRow = Record<string, JsonValue>;
