import { readFile } from 'node:fs/promises';
import seedrandom from 'seedrandom';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError, describeParams, loadConfig } from '@mnist-mlops/config';
import { TRAINER_PARAMS } from '../trainer-params';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const range = z.object({
  min: z.number(),
  max: z.number(),
  log: z.boolean().default(false),
  integer: z.boolean().default(false),
});

/** A sweep file, e.g. sweeps/quick.yaml. Parameter names are the params.env keys. */
const SWEEP_FILE = z
  .object({
    metric: z.string().default('test_accuracy'),
    goal: z.enum(['maximize', 'minimize']).default('maximize'),
    method: z.enum(['grid', 'random']).default('grid'),
    /** Random search only: how many trials. */
    trials: z.number().int().min(1).max(1000).optional(),
    seed: z.number().int().default(0),
    /** Settings every trial shares. */
    fixed: z.record(z.string(), scalar).default({}),
    /** The settings that vary: a list of values, or (random search) a range. */
    parameters: z.record(z.string(), z.union([z.array(scalar).min(1), range])),
  })
  .strict();

export type SweepFile = z.infer<typeof SWEEP_FILE>;

export interface SweepPlan extends SweepFile {
  file: string;
  /** Each trial's settings, params.env keys to values (fixed ones included). */
  trialSettings: Record<string, string>[];
  /** The keys that vary between trials. */
  varied: string[];
}

/** The sweep file is not valid; the message names the problem. */
export class SweepFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SweepFileError';
  }
}

const KNOWN_KEYS = new Set(describeParams(TRAINER_PARAMS).map((p) => p.env));
/** A trial's bookkeeping belongs to the sweep: a sweep file may not set these. */
const SWEEP_OWNED = new Set(['MLFLOW_RUN_ID', 'REGISTER_MODEL', 'MLFLOW_TRACKING_URI']);

/**
 * Reads and checks a sweep file and lists its trials: the grid's every combination, or `trials`
 * seeded random draws. Every trial's settings are validated as the trainer will read them, so a
 * bad value fails the sweep before anything runs.
 */
export async function readSweepPlan(file: string, base: NodeJS.ProcessEnv): Promise<SweepPlan> {
  let raw: unknown;
  try {
    raw = parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new SweepFileError(`cannot read sweep file ${file}: ${(error as Error).message}`);
  }
  const parsed = SWEEP_FILE.safeParse(raw);
  if (!parsed.success)
    throw new SweepFileError(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ')}`,
    );
  const sweep = parsed.data;
  for (const key of [...Object.keys(sweep.fixed), ...Object.keys(sweep.parameters)]) {
    if (!KNOWN_KEYS.has(key)) throw new SweepFileError(`${file}: unknown setting ${key}`);
    if (SWEEP_OWNED.has(key))
      throw new SweepFileError(`${file}: ${key} is set by the sweep itself`);
  }
  const varied = Object.keys(sweep.parameters);
  if (!varied.length) throw new SweepFileError(`${file}: parameters names nothing to vary`);
  const fixed = Object.fromEntries(Object.entries(sweep.fixed).map(([k, v]) => [k, String(v)]));
  const points = sweep.method === 'grid' ? grid(sweep, file) : random(sweep, file);
  const trialSettings = points.map((point) => ({ ...fixed, ...point }));
  trialSettings.forEach((settings, i) => {
    try {
      loadConfig(TRAINER_PARAMS, { env: { ...base, ...settings } });
    } catch (error) {
      if (error instanceof ConfigError)
        throw new SweepFileError(
          `${file}: trial ${i + 1} (${JSON.stringify(settings)}): ${error.message}`,
        );
      throw error;
    }
  });
  return { ...sweep, file, trialSettings, varied };
}

function grid(sweep: SweepFile, file: string): Record<string, string>[] {
  let points: Record<string, string>[] = [{}];
  for (const [key, space] of Object.entries(sweep.parameters)) {
    if (!Array.isArray(space))
      throw new SweepFileError(`${file}: ${key} is a range; a grid needs a list of values`);
    points = points.flatMap((point) => space.map((value) => ({ ...point, [key]: String(value) })));
  }
  return points;
}

function random(sweep: SweepFile, file: string): Record<string, string>[] {
  if (!sweep.trials) throw new SweepFileError(`${file}: a random search needs "trials"`);
  const draw = seedrandom(String(sweep.seed));
  return Array.from({ length: sweep.trials }, () =>
    Object.fromEntries(
      Object.entries(sweep.parameters).map(([key, space]) => {
        if (Array.isArray(space)) return [key, String(space[Math.floor(draw() * space.length)])];
        const u = draw();
        let value = space.log
          ? Math.exp(Math.log(space.min) + u * (Math.log(space.max) - Math.log(space.min)))
          : space.min + u * (space.max - space.min);
        value = space.integer ? Math.round(value) : Number(value.toPrecision(4));
        return [key, String(value)];
      }),
    ),
  );
}
