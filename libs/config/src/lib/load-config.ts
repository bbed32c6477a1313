import { readFileSync } from 'node:fs';
import { closest } from 'fastest-levenshtein';
import { ConfigError, type ConfigIssue } from './config-error';
import { parseEnvFile } from './env-file';
import { envKey, flagName, type ConfigOf, type ParamSpecs } from './param-spec';

export interface ConfigSources {
  /** Path of a params.env file; a missing file is an error when given explicitly. */
  paramsFile?: string;
  /** The process environment (or a stand-in in tests); only keys of the spec are read. */
  env?: NodeJS.ProcessEnv;
  /** CLI flags by field name (`batchSize`), as text. */
  flags?: Record<string, string | undefined>;
}

interface RawValue {
  value: string;
  source: string;
}

/**
 * Reads settings in order of precedence: defaults < params.env < environment < CLI flags,
 * then validates them all at once. Throws a ConfigError naming every bad key.
 */
export function loadConfig<T extends ParamSpecs>(specs: T, sources: ConfigSources): ConfigOf<T> {
  const issues: ConfigIssue[] = [];
  const fields = Object.keys(specs);
  const byEnvKey = new Map(fields.map((field) => [envKey(field), field]));
  const raw = new Map<string, RawValue>();

  for (const field of fields) raw.set(field, { value: specs[field].default, source: 'default' });

  if (sources.paramsFile) {
    let text: string | undefined;
    try {
      text = readFileSync(sources.paramsFile, 'utf8');
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
      issues.push({ key: 'params file', value: sources.paramsFile, message: reason });
    }
    if (text !== undefined) {
      for (const [key, entry] of parseEnvFile(text)) {
        const where = `${sources.paramsFile}:${entry.line}`;
        const field = byEnvKey.get(key);
        if (field === undefined) {
          const suggestion = closest(key, [...byEnvKey.keys()]);
          issues.push({
            key,
            source: where,
            message: `unknown key; did you mean ${suggestion}? Known keys: ${[...byEnvKey.keys()].join(', ')}`,
          });
          continue;
        }
        raw.set(field, { value: entry.value, source: where });
      }
    }
  }

  for (const [key, field] of byEnvKey) {
    const value = sources.env?.[key];
    if (value !== undefined && value !== '')
      raw.set(field, { value, source: `environment ${key}` });
  }

  for (const [field, value] of Object.entries(sources.flags ?? {})) {
    if (value === undefined) continue;
    if (!(field in specs)) {
      issues.push({ key: `--${flagName(field)}`, message: 'unknown option' });
      continue;
    }
    raw.set(field, { value, source: `--${flagName(field)}` });
  }

  const config: Record<string, unknown> = {};
  for (const field of fields) {
    const { value, source } = raw.get(field) as RawValue;
    const parsed = specs[field].schema.safeParse(value);
    if (parsed.success) {
      config[field] = parsed.data;
    } else {
      const message = parsed.error.issues.map((issue) => issue.message).join('; ');
      issues.push({ key: envKey(field), value, source, message });
    }
  }

  if (issues.length > 0) throw new ConfigError(issues);
  return config as ConfigOf<T>;
}

/** Lines for `--help` and the README: every key, its flag, default and meaning. */
export function describeParams(
  specs: ParamSpecs,
): { env: string; flag: string; default: string; description: string }[] {
  return Object.entries(specs).map(([field, spec]) => ({
    env: envKey(field),
    flag: `--${flagName(field)}`,
    default: spec.default,
    description: spec.description,
  }));
}
