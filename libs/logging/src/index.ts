export {
  createLogger,
  LOGGER,
  LOG_LEVELS,
  type Logger,
  type LoggerOptions,
  type LogLevel,
} from './lib/logger';
