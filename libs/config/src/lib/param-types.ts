import { z } from 'zod';

/**
 * Schemas for settings that arrive as text (params.env, environment, CLI flags).
 * Each one trims the text, converts it, and fails with a message that says what is allowed.
 */

const numeric = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

export interface Range {
  min?: number;
  max?: number;
}

function describeRange(kind: string, { min, max }: Range): string {
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined) return `${kind} of at least ${min}`;
  if (max !== undefined) return `${kind} of at most ${max}`;
  return kind;
}

export function integer(range: Range = {}) {
  const allowed = `must be ${describeRange('a whole number', range)}`;
  return z
    .string()
    .transform(numeric)
    .pipe(
      z
        .number({ error: allowed })
        .int({ error: allowed })
        .min(range.min ?? Number.MIN_SAFE_INTEGER, { error: allowed })
        .max(range.max ?? Number.MAX_SAFE_INTEGER, { error: allowed }),
    );
}

export interface RealRange {
  /** Smallest allowed value, exclusive when `exclusiveMin` is set. */
  min?: number;
  exclusiveMin?: boolean;
  max?: number;
  exclusiveMax?: boolean;
}

export function real(range: RealRange = {}) {
  const parts: string[] = [];
  if (range.min !== undefined) parts.push(`${range.exclusiveMin ? '>' : '>='} ${range.min}`);
  if (range.max !== undefined) parts.push(`${range.exclusiveMax ? '<' : '<='} ${range.max}`);
  const allowed = `must be a number${parts.length ? ` ${parts.join(' and ')}` : ''}`;
  return z
    .string()
    .transform(numeric)
    .pipe(
      z
        .number({ error: allowed })
        .refine((n) => Number.isFinite(n), { error: allowed })
        .refine(
          (n) => range.min === undefined || (range.exclusiveMin ? n > range.min : n >= range.min),
          { error: allowed },
        )
        .refine(
          (n) => range.max === undefined || (range.exclusiveMax ? n < range.max : n <= range.max),
          { error: allowed },
        ),
    );
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const allowed = `must be one of ${values.join(', ')}`;
  return z
    .string()
    .transform((s) => s.trim())
    .pipe(z.enum(values, { error: allowed }));
}

export function text(options: { pattern?: RegExp; description?: string } = {}) {
  const allowed = `must be ${options.description ?? 'non-empty text'}`;
  return z
    .string()
    .transform((s) => s.trim())
    .pipe(
      z
        .string()
        .min(1, { error: allowed })
        .regex(options.pattern ?? /.*/, { error: allowed }),
    );
}

export function flag() {
  const allowed = 'must be true or false';
  return z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: allowed }))
    .transform((s) => s === 'true' || s === '1' || s === 'yes');
}

/** Text that may be left empty (an unset URI, say). */
export function optionalText() {
  return z.string().transform((s) => s.trim());
}
