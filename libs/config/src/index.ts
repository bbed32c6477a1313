export { ConfigError, formatIssue, type ConfigIssue } from './lib/config-error';
export { parseEnvFile, type EnvFileEntry } from './lib/env-file';
export { loadConfig, describeParams, type ConfigSources } from './lib/load-config';
export {
  defineParams,
  envKey,
  flagName,
  paramName,
  type ConfigOf,
  type ParamSpec,
  type ParamSpecs,
} from './lib/param-spec';
export { flag, integer, oneOf, optionalText, real, text } from './lib/param-types';
