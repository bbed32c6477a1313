import { pino, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';

/** The logging surface libraries and apps depend on; a pino logger satisfies it. */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
  /** Whether a line at this level would be written (so it need not be built when not). */
  isLevelEnabled(level: string): boolean;
}

/** Injection token for the Logger. */
export const LOGGER = Symbol('Logger');

/** The levels a LOG_LEVEL setting can name, least severe first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number] | 'silent';

export interface LoggerOptions {
  level: LogLevel;
  /** `pretty` for people at a terminal, `json` for services and log collectors. */
  format: 'pretty' | 'json';
  /**
   * Where lines go: a stream, or a file descriptor (1 or 2) written through pino's own
   * asynchronous destination, which coalesces the lines of a busy service into few writes (a
   * process stream costs a write call per line) and flushes what is pending when the process
   * exits. stderr by default so stdout stays for results.
   */
  destination?: NodeJS.WritableStream | number;
}

export function createLogger(options: LoggerOptions): PinoLogger {
  const target = options.destination ?? process.stderr;
  if (options.format === 'json') {
    const destination =
      typeof target === 'number' ? pino.destination({ dest: target, sync: false }) : target;
    return pino(
      { level: options.level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime },
      destination as never,
    );
  }
  const destination =
    typeof target === 'number' ? (target === 1 ? process.stdout : process.stderr) : target;
  const stream = pretty({
    destination: destination as never,
    colorize: (destination as { isTTY?: boolean }).isTTY === true,
    ignore: 'pid,hostname',
    translateTime: 'HH:MM:ss',
    sync: true,
  });
  return pino({ level: options.level, base: undefined }, stream);
}
