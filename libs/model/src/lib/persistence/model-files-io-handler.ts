import * as tf from '@tensorflow/tfjs';
import { BlobNotFoundError, joinLocation, type BlobStore } from '@mnist-mlops/storage';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** The saved model is missing or unreadable; the message names the location. */
export class ModelLoadError extends Error {
  constructor(
    readonly location: string,
    problem: string,
  ) {
    super(`cannot load the model at ${location}: ${problem}`);
    this.name = 'ModelLoadError';
  }
}

/** The files of one saved model, wherever they live (a BlobStore folder, a registry's artifacts). */
export interface ModelFiles {
  /** For messages: where the files are. */
  readonly location: string;
  read(name: string): Promise<Uint8Array>;
  write(name: string, data: Uint8Array | string): Promise<void>;
}

/** A model folder on any BlobStore location: a folder on disk, file:// or gs://. */
export function blobStoreFiles(store: BlobStore, location: string): ModelFiles {
  return {
    location,
    read: (name) => store.read(joinLocation(location, name)),
    write: (name, data) => store.write(joinLocation(location, name), data),
  };
}

/**
 * Saves and loads tfjs layers models in the TensorFlow.js format (model.json + one weights.bin).
 * The weights are written first, so whoever sees model.json sees complete weights.
 */
export class ModelFilesIOHandler implements tf.io.IOHandler {
  constructor(private readonly files: ModelFiles) {}

  async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
    if (artifacts.modelTopology instanceof ArrayBuffer) {
      throw new Error('ModelFilesIOHandler saves layers models, not graph models in binary form');
    }
    const weightData = artifacts.weightData
      ? tf.io.CompositeArrayBuffer.join(artifacts.weightData)
      : new ArrayBuffer(0);
    const modelJson = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
      ...(artifacts.userDefinedMetadata
        ? { userDefinedMetadata: artifacts.userDefinedMetadata }
        : {}),
    };
    await this.files.write(WEIGHTS_BIN, new Uint8Array(weightData));
    await this.files.write(MODEL_JSON, JSON.stringify(modelJson));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  }

  async load(): Promise<tf.io.ModelArtifacts> {
    const location = this.files.location;
    let modelJson: tf.io.ModelJSON;
    try {
      modelJson = JSON.parse(Buffer.from(await this.files.read(MODEL_JSON)).toString('utf8'));
    } catch (error) {
      if (error instanceof BlobNotFoundError)
        throw new ModelLoadError(location, `no ${MODEL_JSON} there`);
      if (error instanceof SyntaxError)
        throw new ModelLoadError(location, `${MODEL_JSON} is not valid JSON`);
      throw new ModelLoadError(
        location,
        `${MODEL_JSON} could not be read (${(error as Error).message})`,
      );
    }
    if (!modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
      throw new ModelLoadError(location, `${MODEL_JSON} has no modelTopology or weightsManifest`);
    }
    return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
      const specs = manifest.flatMap((group) => group.weights);
      const parts = await Promise.all(
        manifest.flatMap((group) =>
          group.paths.map(async (path) => {
            try {
              return Buffer.from(await this.files.read(path.replace(/^\.\//, '')));
            } catch (error) {
              if (error instanceof BlobNotFoundError) {
                throw new ModelLoadError(location, `weights file ${path} is missing`);
              }
              throw new ModelLoadError(
                location,
                `weights file ${path} could not be read (${(error as Error).message})`,
              );
            }
          }),
        ),
      );
      const weights = Buffer.concat(parts);
      const expected = specs.reduce(
        (sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1) * bytesPer(spec.dtype),
        0,
      );
      if (weights.length !== expected) {
        throw new ModelLoadError(
          location,
          `weights are ${weights.length} bytes, the manifest needs ${expected}`,
        );
      }
      return [specs, weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.length)];
    });
  }
}

function bytesPer(dtype: string): number {
  if (dtype === 'bool' || dtype === 'uint8') return 1;
  if (dtype === 'float16') return 2;
  return 4;
}

export async function saveModel(
  model: tf.LayersModel,
  store: BlobStore,
  location: string,
): Promise<void> {
  await model.save(new ModelFilesIOHandler(blobStoreFiles(store, location)));
}

export async function loadModel(store: BlobStore, location: string): Promise<tf.LayersModel> {
  return loadModelFiles(blobStoreFiles(store, location));
}

export async function loadModelFiles(files: ModelFiles): Promise<tf.LayersModel> {
  return tf.loadLayersModel(new ModelFilesIOHandler(files));
}
