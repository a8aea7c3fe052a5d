/**
 * The runtime's log sink. Lines are JSON so a request id can be searched for; internal
 * error detail goes here and never into a response. Credentials are masked on the way
 * out (runtime/security/log-redaction.ts), whoever logged them.
 */
import { redactFields, redactText } from '../security/log-redaction.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function parseLevel(text: string | undefined): LogLevel {
  const level = text?.toLowerCase();
  return level === 'debug' || level === 'info' || level === 'warn' || level === 'error' ? level : 'info';
}

/** JSON lines on stderr at or above `level` (default: FLAPI_LOG_LEVEL, else info). */
export function createJsonLogger(level: LogLevel = parseLevel(process.env['FLAPI_LOG_LEVEL'])): Logger {
  const min = RANK[level];
  const write = (lvl: LogLevel, message: string, fields?: LogFields): void => {
    if (RANK[lvl] < min) return;
    const line = { time: new Date().toISOString(), level: lvl, message: redactText(message), ...(fields ? (redactFields(fields) as LogFields) : {}) };
    process.stderr.write(`${JSON.stringify(line, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** Discards everything; for tests and embedders with their own logging. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
