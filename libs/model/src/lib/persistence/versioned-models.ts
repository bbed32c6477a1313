import type * as tf from '@tensorflow/tfjs';
import type { InputProfile } from '@mnist-mlops/data';
import { baseName, joinLocation, type BlobStore } from '@mnist-mlops/storage';
import { MODEL_JSON, ModelLoadError, saveModel, WEIGHTS_BIN } from './model-files-io-handler';

export const METADATA_JSON = 'metadata.json';

/** What travels with a saved model: where it came from, what it was trained with, how it scored. */
export interface ModelMetadata {
  name: string;
  version: number;
  createdAt: string;
  backend: string;
  dataset: string;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  history?: Record<string, number>[];
  /** The MLflow run that trained it, when tracked. */
  mlflowRunId?: string;
  /** Its training images profiled: what the service's drift monitor compares live traffic with. */
  reference?: InputProfile;
}

/** The files of a saved version, in the order they are written: model.json last. */
export const VERSION_FILES = [METADATA_JSON, WEIGHTS_BIN, MODEL_JSON] as const;

/** Numbered folders below `<outputDir>/<name>/`, and which of them hold a whole saved model. */
async function versionFolders(
  store: BlobStore,
  outputDir: string,
  name: string,
): Promise<{ all: number[]; whole: number[] }> {
  const root = joinLocation(outputDir, name);
  const all = new Set<number>();
  const whole = new Set<number>();
  for (const location of await store.list(root)) {
    const parts = location.slice(root.length + 1).split('/');
    if (!/^\d+$/.test(parts[0]) || baseName(location) === '') continue;
    all.add(Number(parts[0]));
    // model.json is written last, after the weights and the metadata: its presence is the commit.
    if (parts.length === 2 && parts[1] === MODEL_JSON) whole.add(Number(parts[0]));
  }
  const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);
  return { all: sorted(all), whole: sorted(whole) };
}

/**
 * `<outputDir>/<name>/<version>/`: version folders are whole numbers, counting up from 1. Only
 * versions whose save completed count (a save cut short leaves no model.json).
 */
export async function listVersions(
  store: BlobStore,
  outputDir: string,
  name: string,
): Promise<number[]> {
  return (await versionFolders(store, outputDir, name)).whole;
}

/** The next version number: above every numbered folder, even one a failed save left behind. */
export async function nextVersionLocation(
  store: BlobStore,
  outputDir: string,
  name: string,
): Promise<{ version: number; location: string }> {
  const { all } = await versionFolders(store, outputDir, name);
  const version = (all.at(-1) ?? 0) + 1;
  return { version, location: joinLocation(outputDir, name, String(version)) };
}

/** Saving a version failed; what was written of it has been taken away again where possible. */
export class ModelSaveError extends Error {
  constructor(
    readonly location: string,
    problem: string,
  ) {
    super(`cannot save the model to ${location}: ${problem}`);
    this.name = 'ModelSaveError';
  }
}

const OS_PROBLEMS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

/**
 * Saves a model version whole or not at all: the metadata, then the weights, then model.json
 * (each file written atomically by the store), so a version without model.json is never listed,
 * served or validated. On a failure the files already written are deleted (best effort) and a
 * ModelSaveError says why in one line.
 */
export async function saveVersion(
  store: BlobStore,
  location: string,
  model: tf.LayersModel,
  metadata: ModelMetadata,
): Promise<void> {
  try {
    await writeMetadata(store, location, metadata);
    await saveModel(model, store, location);
  } catch (error) {
    await Promise.all(
      VERSION_FILES.map((file) =>
        store.delete(joinLocation(location, file)).catch(() => undefined),
      ),
    );
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const problem = OS_PROBLEMS[code] ?? (error as Error).message.split('\n')[0];
    throw new ModelSaveError(
      location,
      code && OS_PROBLEMS[code] ? `${problem} (${code})` : problem,
    );
  }
}

export async function latestVersionLocation(
  store: BlobStore,
  outputDir: string,
  name: string,
): Promise<{ version: number; location: string }> {
  const versions = await listVersions(store, outputDir, name);
  const version = versions.at(-1);
  if (version === undefined) {
    throw new ModelLoadError(
      joinLocation(outputDir, name),
      'no saved versions; train one first with `nx run trainer:main`',
    );
  }
  return { version, location: joinLocation(outputDir, name, String(version)) };
}

export async function writeMetadata(
  store: BlobStore,
  location: string,
  metadata: ModelMetadata,
): Promise<void> {
  await store.write(
    joinLocation(location, METADATA_JSON),
    `${JSON.stringify(metadata, null, 2)}\n`,
  );
}

export async function readMetadata(
  store: BlobStore,
  location: string,
): Promise<ModelMetadata | undefined> {
  const path = joinLocation(location, METADATA_JSON);
  if (!(await store.exists(path))) return undefined;
  return JSON.parse((await store.read(path)).toString('utf8')) as ModelMetadata;
}
