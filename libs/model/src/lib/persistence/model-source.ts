import { joinLocation, type BlobStore } from '@mnist-mlops/storage';
import type { ArtifactReader, RegistryReader } from '@mnist-mlops/tracking';
import { blobStoreFiles, MODEL_JSON, type ModelFiles } from './model-files-io-handler';
import { listVersions, METADATA_JSON, readMetadata, type ModelMetadata } from './versioned-models';

/** A model found from its URI: its files and who it is. */
export interface ResolvedModel {
  name: string;
  version: string;
  /** Where the files come from, for logs and GET /model. */
  source: string;
  files: ModelFiles;
  /**
   * Its metadata.json, if it has one. Read only when asked for a registry version: the service
   * resolves its URI on every reload check and needs no more than the name and version.
   */
  metadata(): Promise<ModelMetadata | undefined>;
}

/** The URI does not name a model that can be found. */
export class ModelSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelSourceError';
  }
}

const REGISTRY = /^models:\/([^/@]+)(?:@([^/]+)|\/(\d+))$/;
/** `models:/m-<id>`: an MLflow 3 logged model, by its id. */
const LOGGED_MODEL = /^models:\/(m-[0-9a-f]+)$/;

/**
 * Resolves a model URI (the service's MODEL_URI, `trainer:validate --model`) each time it is
 * asked, so a moved alias is noticed:
 * `models:/<name>@<alias>` or `models:/<name>/<version>` through the MLflow registry (server or
 * mlruns/), `models:/m-<id>` (a logged model), a folder holding model.json, or a folder of numbered versions (the highest wins).
 */
export async function resolveModel(
  uri: string,
  store: BlobStore,
  registry: RegistryReader,
  artifacts: ArtifactReader,
): Promise<ResolvedModel> {
  const registered = REGISTRY.exec(uri);
  if (registered) {
    const [, name, alias, version] = registered;
    const found = alias
      ? await registry.getModelVersionByAlias(name, alias)
      : await registry.getModelVersion(name, version);
    const source = `${found.source} (${name} version ${found.version} in ${registry.location})`;
    // Read from the version's own source: the alias may move while the files are read.
    const files = readOnlyFiles(source, (file) => artifacts.read(found.source, file));
    return { name, version: found.version, source, files, metadata: () => registryMetadata(files) };
  }
  const logged = LOGGED_MODEL.exec(uri);
  if (logged) {
    const modelId = logged[1];
    const source = `${uri} (logged model in ${registry.location})`;
    const files = readOnlyFiles(source, (file) => artifacts.read(uri, file));
    // A logged model never changes; it has no version number, so its id stands for one, and
    // its name is the one saved with it.
    const metadata = await registryMetadata(files);
    return {
      name: metadata?.name ?? modelId,
      version: modelId,
      source,
      files,
      metadata: () => Promise.resolve(metadata),
    };
  }
  if (uri.startsWith('models:')) {
    throw new ModelSourceError(
      `"${uri}" is not a registry URI; use models:/<name>@<alias>, models:/<name>/<version> or models:/m-<model id>`,
    );
  }
  let location = uri.replace(/\/+$/, '');
  if (!(await store.exists(joinLocation(location, MODEL_JSON)))) {
    const parent = location.slice(0, location.lastIndexOf('/') + 1) || '.';
    const name = location.slice(location.lastIndexOf('/') + 1);
    const versions = await listVersions(store, parent, name);
    if (versions.length === 0)
      throw new ModelSourceError(`no ${MODEL_JSON} in ${uri}, and no numbered versions below it`);
    location = joinLocation(location, String(versions[versions.length - 1]));
  }
  const metadata = await readMetadata(store, location);
  return {
    name: metadata?.name ?? location.split('/').filter(Boolean).slice(-2, -1)[0] ?? 'model',
    version: String(metadata?.version ?? location.split('/').pop()),
    source: location,
    files: blobStoreFiles(store, location),
    metadata: () => Promise.resolve(metadata),
  };
}

function readOnlyFiles(location: string, read: (file: string) => Promise<Buffer>): ModelFiles {
  return {
    location,
    read,
    write: () => Promise.reject(new Error(`${location} is read-only`)),
  };
}

/** A registered version's metadata.json, if its artifacts have one (models logged elsewhere may not). */
async function registryMetadata(files: ModelFiles): Promise<ModelMetadata | undefined> {
  try {
    return JSON.parse(
      Buffer.from(await files.read(METADATA_JSON)).toString('utf8'),
    ) as ModelMetadata;
  } catch {
    return undefined;
  }
}
