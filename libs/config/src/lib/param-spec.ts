import type { z } from 'zod';

/** A setting that may come from params.env, the environment or a CLI flag. */
export interface ParamSpec<S extends z.ZodType<unknown, string> = z.ZodType<unknown, string>> {
  schema: S;
  /** The value used when no source sets the key, written as it would be in params.env. */
  default: string;
  description: string;
}

export type ParamSpecs = Record<string, ParamSpec>;

/** The typed object a spec produces: one field per setting. */
export type ConfigOf<T extends ParamSpecs> = { [K in keyof T]: z.output<T[K]['schema']> };

/** `batchSize` -> `BATCH_SIZE`, the name in params.env and the environment. */
export function envKey(field: string): string {
  return paramName(field).toUpperCase();
}

/** `batchSize` -> `batch_size`, the name of a logged parameter (as MLflow users write them). */
export function paramName(field: string): string {
  return field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** `batchSize` -> `batch-size`, the CLI flag (`--batch-size`). */
export function flagName(field: string): string {
  return field.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** Keeps the literal field names and schemas of a spec while checking its shape. */
export function defineParams<const T extends ParamSpecs>(specs: T): T {
  return specs;
}
