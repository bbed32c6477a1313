import * as tf from '@tensorflow/tfjs';
import { inject, injectable } from 'tsyringe';
import { NUM_CLASSES, type InputProfile } from '@mnist-mlops/data';
import { LOGGER, type Logger } from '@mnist-mlops/logging';
import {
  IMAGE_SIZE,
  loadModelFiles,
  resolveModel,
  selectEngine,
  type InferenceEngine,
  type ResolvedModel,
} from '@mnist-mlops/model';
import { BLOB_STORE, type BlobStore } from '@mnist-mlops/storage';
import {
  ARTIFACT_REPOSITORIES,
  MODEL_REGISTRY,
  type ArtifactReader,
  type RegistryReader,
} from '@mnist-mlops/tracking';
import { SERVING_CONFIG } from '../tokens';
import type { ServingConfig } from '../serving-params';

export interface LoadedModel {
  model: tf.LayersModel;
  /** What runs the model's forward pass (ONNX Runtime, or tfjs; see selectEngine). */
  engine: InferenceEngine;
  name: string;
  version: string;
  uri: string;
  source: string;
  loadedAt: Date;
  /** The tfjs backend the model was loaded and checked on. */
  backend: string;
  /** The training data's profile saved with the model, for the drift monitor. */
  reference?: InputProfile;
}

/** The model failed to load or to answer its warm-up; the service keeps what it had. */
export class ModelLoadFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelLoadFailedError';
  }
}

/**
 * Holds the model being served. A new version is loaded, checked and warmed up beside the
 * current one and swapped in atomically; requests already running finish on the model they
 * started with, which is disposed after them. A broken new model leaves the old one serving.
 * Batching requests together is the PredictionBatcher's job; this holds and runs the model.
 */
@injectable()
export class ModelService {
  private current?: LoadedModel;
  private readonly inFlight = new Map<LoadedModel, number>();
  private retired = new Set<LoadedModel>();
  private reloading?: Promise<boolean>;
  private reloadAfter?: Promise<boolean>;
  private readonly listeners: ((model: LoadedModel) => void)[] = [];

  constructor(
    @inject(SERVING_CONFIG) private readonly config: ServingConfig,
    @inject(BLOB_STORE) private readonly store: BlobStore,
    @inject(MODEL_REGISTRY) private readonly registry: RegistryReader,
    @inject(ARTIFACT_REPOSITORIES) private readonly artifacts: ArtifactReader,
    @inject(LOGGER) private readonly logger: Logger,
  ) {}

  get model(): LoadedModel | undefined {
    return this.current;
  }

  onSwap(listener: (model: LoadedModel) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Loads MODEL_URI if it now names something else than what is served; true when swapped.
   * Asked while a load runs, it checks once more after that one: the running load resolved
   * MODEL_URI before whatever prompted this call (a SIGHUP after a new version was published).
   */
  reload(): Promise<boolean> {
    if (this.reloading) {
      this.reloadAfter ??= this.reloading
        .then(
          () => undefined,
          () => undefined,
        )
        .then(() => {
          this.reloadAfter = undefined;
          return this.reload();
        });
      return this.reloadAfter;
    }
    this.reloading = this.loadIfChanged().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  /** Class probabilities for each 28x28 image (784 bytes, white ink on black). */
  async predict(
    images: Uint8Array[],
  ): Promise<{ probabilities: Float32Array[]; model: LoadedModel }> {
    const loaded = this.current;
    if (!loaded) throw new ModelLoadFailedError('no model is loaded yet');
    this.inFlight.set(loaded, (this.inFlight.get(loaded) ?? 0) + 1);
    try {
      const pixels = new Uint8Array(images.length * IMAGE_SIZE * IMAGE_SIZE);
      images.forEach((image, i) => pixels.set(image, i * IMAGE_SIZE * IMAGE_SIZE));
      const flat = await loaded.engine.run(pixels, images.length);
      return {
        probabilities: images.map((_, i) => flat.slice(i * NUM_CLASSES, (i + 1) * NUM_CLASSES)),
        model: loaded,
      };
    } finally {
      this.release(loaded);
    }
  }

  private async loadIfChanged(): Promise<boolean> {
    let resolved: ResolvedModel;
    try {
      resolved = await resolveModel(
        this.config.modelUri,
        this.store,
        this.registry,
        this.artifacts,
      );
    } catch (error) {
      throw new ModelLoadFailedError(
        `cannot resolve MODEL_URI ${this.config.modelUri}: ${(error as Error).message}`,
      );
    }
    const current = this.current;
    if (
      current &&
      current.name === resolved.name &&
      current.version === resolved.version &&
      current.source === resolved.source
    )
      return false;

    let model: tf.LayersModel;
    try {
      model = await loadModelFiles(resolved.files);
    } catch (error) {
      throw new ModelLoadFailedError(`cannot load ${resolved.source}: ${(error as Error).message}`);
    }
    let engine: InferenceEngine;
    try {
      checkShapes(model);
      const selected = await selectEngine(this.config.inferenceEngine, model);
      engine = selected.engine;
      if (selected.fallbackReason)
        this.logger.warn(
          { model: resolved.name, version: resolved.version, engine: engine.description },
          `serving on ${engine.description} instead of ${this.config.inferenceEngine}: ${selected.fallbackReason}`,
        );
    } catch (error) {
      model.dispose();
      throw new ModelLoadFailedError(
        `model ${resolved.name} version ${resolved.version} is not usable: ${(error as Error).message}`,
      );
    }
    // The reference is for monitoring only: a model without one (or unreadable) still serves.
    const metadata = await resolved.metadata().catch(() => undefined);
    const loaded: LoadedModel = {
      model,
      engine,
      reference: metadata?.reference,
      name: resolved.name,
      version: resolved.version,
      uri: this.config.modelUri,
      source: resolved.source,
      loadedAt: new Date(),
      backend: tf.getBackend(),
    };
    this.current = loaded;
    if (current) {
      this.retired.add(current);
      this.release(current, 0);
    }
    this.logger.info(
      { model: loaded.name, version: loaded.version, source: loaded.source },
      current
        ? `swapped in model version ${loaded.version} (was ${current.version})`
        : `model version ${loaded.version} loaded and warmed up on ${engine.description}`,
    );
    for (const listener of this.listeners) listener(loaded);
    return true;
  }

  private release(loaded: LoadedModel, by = 1): void {
    const count = (this.inFlight.get(loaded) ?? 0) - by;
    if (count > 0) {
      this.inFlight.set(loaded, count);
      return;
    }
    this.inFlight.delete(loaded);
    if (this.retired.has(loaded)) {
      this.retired.delete(loaded);
      void loaded.engine.dispose();
      loaded.model.dispose();
    }
  }

  dispose(): void {
    void this.current?.engine.dispose();
    this.current?.model.dispose();
    this.current = undefined;
  }
}

function checkShapes(model: tf.LayersModel): void {
  const input = model.inputs[0]?.shape;
  const output = model.outputs[0]?.shape;
  if (JSON.stringify(input) !== JSON.stringify([null, IMAGE_SIZE, IMAGE_SIZE, 1])) {
    throw new Error(
      `input shape is ${JSON.stringify(input)}, expected [null,${IMAGE_SIZE},${IMAGE_SIZE},1]`,
    );
  }
  if (JSON.stringify(output) !== JSON.stringify([null, NUM_CLASSES])) {
    throw new Error(`output shape is ${JSON.stringify(output)}, expected [null,${NUM_CLASSES}]`);
  }
}
