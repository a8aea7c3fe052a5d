/**
 * The runtime's log sink, on pino. Lines are JSON (`time`, `level`, `message`, fields)
 * so a request id can be searched for; internal error detail goes here and never into a
 * response. Credentials are masked on the way out (runtime/security/log-redaction.ts),
 * whoever logged them. Callers see only the small `Logger` interface, so tests and
 * embedders can hand in their own.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { redactFields, redactText } from '../security/log-redaction.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** What a user may write in FLAPI_LOG_LEVEL or `--log-level`; `warning` means `warn`. */
export const LOG_LEVEL_NAMES = ['debug', 'info', 'warn', 'warning', 'error'] as const;

/**
 * Reads a level name; empty or undefined is `info`. An unknown name is an error naming
 * the allowed ones: a typo must not quietly hide the debug lines someone asked for.
 */
export function parseLogLevel(text: string | undefined, source = 'FLAPI_LOG_LEVEL'): LogLevel {
  const level = text?.trim().toLowerCase() ?? '';
  if (level === '') return 'info';
  if (level === 'warning') return 'warn';
  if (level === 'debug' || level === 'info' || level === 'warn' || level === 'error') return level;
  throw new Error(`${source}: unknown log level "${text}"; use one of ${LOG_LEVEL_NAMES.join(', ')}`);
}

/** The level FLAPI_LOG_LEVEL asks for (info when unset); throws on an unknown name. */
export function logLevelFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): LogLevel {
  return parseLogLevel(env['FLAPI_LOG_LEVEL']);
}

export interface PinoLoggerOptions {
  level: LogLevel;
  /** Where lines go (default: stderr, written synchronously so nothing is lost on exit). */
  destination?: DestinationStream;
  /** Numeric levels instead of names, for a pretty-printer that maps them itself. */
  numericLevels?: boolean;
}

/** A pino instance writing flapi's line shape. */
export function createPino(options: PinoLoggerOptions): PinoLogger {
  return pino(
    {
      level: options.level,
      base: undefined,
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      ...(options.numericLevels ? {} : { formatters: { level: (label: string) => ({ level: label }) } }),
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

/** Adapts a pino instance to `Logger`, redacting every message and field. */
export function fromPino(target: PinoLogger): Logger {
  const write = (level: LogLevel) => (message: string, fields?: LogFields): void => {
    if (!target.isLevelEnabled(level)) return;
    if (fields === undefined) target[level](redactText(message));
    else target[level](redactFields(fields) as LogFields, redactText(message));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** JSON lines on stderr (or `destination`) at or above `level` (default: FLAPI_LOG_LEVEL, else info). */
export function createJsonLogger(level: LogLevel = logLevelFromEnv(), destination?: DestinationStream): Logger {
  return fromPino(createPino({ level, ...(destination ? { destination } : {}) }));
}

/** Discards everything; for tests and embedders with their own logging. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
