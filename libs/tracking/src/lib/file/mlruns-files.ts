import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

/** The spelling rules of MLflow's `mlruns/` file store, shared by its tracking store and registry. */

/** MLflow's file store ids for datasets and inputs: md5 of the parts, in hex. */
export function md5(...parts: string[]): string {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part, 'utf8');
  return hash.digest('hex');
}

/** Keys become file names: refuse anything that could leave the folder. */
export function checkKey(key: string): string {
  if (!/^[\w\-./ ]+$/.test(key) || key.split('/').some((part) => part === '..' || part === '')) {
    throw new Error(`invalid MLflow key "${key}": use letters, digits, _ - . / and spaces`);
  }
  return key;
}

/** Python's repr of floats, which MLflow writes: integers keep a ".0", NaN and infinities spelled out. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/** MLflow writes meta.yaml with its keys sorted. */
export function sortKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** A meta.yaml, or undefined when there is none. */
export async function readYaml(path: string): Promise<Record<string, unknown> | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (parse(text) as Record<string, unknown>);
}
