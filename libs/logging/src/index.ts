export { createLogger, LOGGER, type Logger, type LoggerOptions, type LogLevel } from './lib/logger';
