import { baseName, joinLocation, type BlobStore } from '@mnist-mlops/storage';
import { ModelLoadError } from './model-files-io-handler';

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
}

/** `<outputDir>/<name>/<version>/`: version folders are whole numbers, counting up from 1. */
export async function listVersions(
  store: BlobStore,
  outputDir: string,
  name: string,
): Promise<number[]> {
  const root = joinLocation(outputDir, name);
  const versions = new Set<number>();
  for (const location of await store.list(root)) {
    const relative = location.slice(root.length + 1);
    const first = relative.split('/')[0];
    if (/^\d+$/.test(first) && baseName(location) !== '') versions.add(Number(first));
  }
  return [...versions].sort((a, b) => a - b);
}

export async function nextVersionLocation(
  store: BlobStore,
  outputDir: string,
  name: string,
): Promise<{ version: number; location: string }> {
  const versions = await listVersions(store, outputDir, name);
  const version = (versions.at(-1) ?? 0) + 1;
  return { version, location: joinLocation(outputDir, name, String(version)) };
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
