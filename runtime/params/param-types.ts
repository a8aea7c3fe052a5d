/**
 * Shapes shared by the parameter reader and the validators. A request value arrives as
 * text (query, path, header) or as a JSON scalar (body); after validation it is typed.
 */

/** A validated request value as templates and DuckDB see it. */
export type ParamValue = string | number | bigint | boolean;

/** A raw value before validation: text, or a JSON scalar from a body. */
export type RawScalar = string | number | boolean;

/** One failing field of a request, as sent back in a 400 body. */
export interface FieldError {
  field: string;
  message: string;
}

/** A failed check. A class so a check result is told apart from a value with `instanceof`. */
export class Invalid {
  constructor(readonly message: string) {}
}

/** Validates one raw value and returns its typed form, or why it was refused. */
export type ValueCheck = (raw: RawScalar) => ParamValue | Invalid;

/** The parts of a request that parameters are read from. */
export interface RequestInput {
  query: Readonly<Record<string, string | string[] | undefined>>;
  path: Readonly<Record<string, string | undefined>>;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body, or undefined when there is none. */
  body: unknown;
}

export type ParseResult =
  | { ok: true; values: Record<string, ParamValue> }
  | { ok: false; errors: FieldError[] };
