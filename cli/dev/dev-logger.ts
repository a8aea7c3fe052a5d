/**
 * The logger `flapi dev` serves with: readable, coloured lines on a terminal, JSON lines
 * when stderr is a pipe or file (so a log collector or `jq` gets what a built server
 * writes). The level comes from `--log-level`, else FLAPI_LOG_LEVEL, else info.
 */
import { prettyFactory } from 'pino-pretty';
import { createJsonLogger, createPino, fromPino, parseLogLevel, type LogLevel, type Logger } from '../../runtime/app/index.js';

export interface DevLoggerOptions {
  /** The `--log-level` flag, when given. */
  level?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Pretty output; default: whether stderr is a terminal. */
  pretty?: boolean;
  /** Where pretty lines go (default: stderr). */
  write?: (text: string) => void;
}

/** The level asked for; an unknown name throws, naming the allowed ones. */
export function devLogLevel(options: DevLoggerOptions): LogLevel {
  if (options.level !== undefined) return parseLogLevel(options.level, '--log-level');
  return parseLogLevel((options.env ?? process.env)['FLAPI_LOG_LEVEL']);
}

/** Fields an access line's message already spells out (runtime/app/access-log.ts). */
const ACCESS_FIELDS = ['method', 'path', 'status', 'ms', 'rows', 'cache'] as const;

export function devLogger(options: DevLoggerOptions = {}): Logger {
  const level = devLogLevel(options);
  if (!(options.pretty ?? process.stderr.isTTY === true)) return createJsonLogger(level);
  const prettify = prettyFactory({ colorize: true, singleLine: true, messageKey: 'message', translateTime: 'SYS:HH:MM:ss.l' });
  const write = options.write ?? ((text: string) => void process.stderr.write(text));
  const destination = {
    write(line: string): void {
      const record = JSON.parse(line) as Record<string, unknown>;
      if ('status' in record && 'method' in record) for (const key of ACCESS_FIELDS) delete record[key];
      write(prettify(record));
    },
  };
  return fromPino(createPino({ level, destination }));
}
