/**
 * Errors a handler throws on purpose. The error middleware turns them into JSON bodies;
 * anything else becomes a 500 whose detail only reaches the log.
 */
import type { FieldError } from '../params/index.js';

/** A client error with a message that is safe to send back. */
export class ClientError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

/** A request whose parameters failed validation: 400 naming every failing field. */
export class ValidationFailed extends Error {
  readonly status = 400;
  constructor(readonly errors: FieldError[]) {
    super('request validation failed');
    this.name = 'ValidationFailed';
  }
}

/**
 * DuckDB refused a bound value (e.g. text that is no DATE, a number beyond INTEGER).
 * The request is at fault, not the server, so this is a 400 too.
 */
export function isValueConversionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const m = err.message;
  return m.startsWith('Conversion Error') || m.startsWith('Out of Range Error');
}

/** A query stopped because it ran past `server.requestTimeoutMs`. */
export function isInterruptError(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('INTERRUPT Error');
}

/**
 * The locked-down database refused a file, URL or extension (runtime/db/lock-down.ts).
 * The message names the path, so only the log may see it.
 */
export function isPermissionError(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('Permission Error');
}

/**
 * A file the query names does not exist (`read_csv('{{{conn.dir}}}/{{params.name}}.csv')`
 * with a name nobody has): what was asked for is not there, a 404, never a 500.
 */
export function isMissingFileError(err: unknown): boolean {
  return err instanceof Error && /^IO Error: (No files found that match the pattern|Cannot open file)/.test(err.message);
}
