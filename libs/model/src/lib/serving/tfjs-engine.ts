import * as tf from '@tensorflow/tfjs';
import { pixelsToInput } from '@mnist-mlops/data';
import { inferencePlan, type InferencePlan } from '../evaluation/inference-plan';
import type { InferenceEngine } from './inference-engine';

/**
 * The model on the active tfjs backend: by default through its plain-ops forward pass
 * (inferencePlan); `layersPredict` runs tfjs-layers' own `predict` instead.
 */
export function tfjsEngine(
  model: tf.LayersModel,
  forward: InferencePlan = inferencePlan(model),
  description = `tfjs ${tf.version_core} on ${tf.getBackend()}`,
): InferenceEngine {
  const [, height, width] = model.inputs[0].shape as number[];
  return {
    name: 'tfjs',
    description,
    run: async (pixels, count) =>
      tf.tidy(() =>
        forward(pixelsToInput(pixels, count, height, width)).dataSync(),
      ) as Float32Array,
    // The model itself belongs to whoever loaded it.
    dispose: async () => undefined,
  };
}

/** tfjs-layers' own `predict`: what every engine is checked against. */
export function layersPredict(model: tf.LayersModel): InferenceEngine {
  return tfjsEngine(
    model,
    (x) => model.predict(x) as tf.Tensor,
    `tfjs-layers ${tf.version_layers} predict on ${tf.getBackend()}`,
  );
}
