/**
 * The one reader of `process.env`. `loadConfig` validates every variable once
 * at start-up and throws a ConfigError listing each problem on its own line.
 */
export {
  type Config,
  ConfigError,
  type EmailPingsConfig,
  isCi,
  LOG_LEVELS,
  type LogLevel,
  loadConfig,
  loadServices,
  pingHost,
} from './load';
