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

/**
 * Saves and loads tfjs layers models in the TensorFlow.js format (model.json + one weights.bin)
 * on any BlobStore location: a folder on disk, file:// or gs://. The weights are written first,
 * so whoever sees model.json sees complete weights.
 */
export class BlobStoreIOHandler implements tf.io.IOHandler {
  constructor(
    private readonly store: BlobStore,
    private readonly location: string,
  ) {}

  async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
    if (artifacts.modelTopology instanceof ArrayBuffer) {
      throw new Error('BlobStoreIOHandler saves layers models, not graph models in binary form');
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
    await this.store.write(joinLocation(this.location, WEIGHTS_BIN), new Uint8Array(weightData));
    await this.store.write(joinLocation(this.location, MODEL_JSON), JSON.stringify(modelJson));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  }

  async load(): Promise<tf.io.ModelArtifacts> {
    let modelJson: tf.io.ModelJSON;
    try {
      modelJson = JSON.parse(
        (await this.store.read(joinLocation(this.location, MODEL_JSON))).toString('utf8'),
      );
    } catch (error) {
      if (error instanceof BlobNotFoundError)
        throw new ModelLoadError(this.location, `no ${MODEL_JSON} there`);
      if (error instanceof SyntaxError)
        throw new ModelLoadError(this.location, `${MODEL_JSON} is not valid JSON`);
      throw error;
    }
    if (!modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
      throw new ModelLoadError(
        this.location,
        `${MODEL_JSON} has no modelTopology or weightsManifest`,
      );
    }
    return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
      const specs = manifest.flatMap((group) => group.weights);
      const parts = await Promise.all(
        manifest.flatMap((group) =>
          group.paths.map(async (path) => {
            const location = joinLocation(this.location, path.replace(/^\.\//, ''));
            try {
              return await this.store.read(location);
            } catch (error) {
              if (error instanceof BlobNotFoundError)
                throw new ModelLoadError(this.location, `weights file ${path} is missing`);
              throw error;
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
          this.location,
          `weights are ${weights.length} bytes, the manifest needs ${expected}`,
        );
      }
      return [specs, weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.length)];
    });
  }
}

function bytesPer(dtype: string): number {
  return dtype === 'float32' || dtype === 'int32'
    ? 4
    : dtype === 'bool' || dtype === 'uint8'
      ? 1
      : dtype === 'float16'
        ? 2
        : 4;
}

export async function saveModel(
  model: tf.LayersModel,
  store: BlobStore,
  location: string,
): Promise<void> {
  await model.save(new BlobStoreIOHandler(store, location));
}

export async function loadModel(store: BlobStore, location: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(new BlobStoreIOHandler(store, location));
}
