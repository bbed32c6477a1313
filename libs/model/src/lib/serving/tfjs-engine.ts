import * as tf from '@tensorflow/tfjs';
import { pixelsToInput } from '@mnist-mlops/data';
import { inferencePlan } from '../evaluation/inference-plan';
import type { InferenceEngine } from './inference-engine';

/** The model on the active tfjs backend, through its plain-ops forward pass (inferencePlan). */
export function tfjsEngine(model: tf.LayersModel): InferenceEngine {
  const plan = inferencePlan(model);
  const [, height, width] = model.inputs[0].shape as number[];
  return {
    name: 'tfjs',
    description: `tfjs ${tf.version_core} on ${tf.getBackend()}`,
    run: async (pixels, count) => {
      const output = tf.tidy(() => plan(pixelsToInput(pixels, count, height, width)));
      try {
        return output.dataSync() as Float32Array;
      } finally {
        output.dispose();
      }
    },
    // The model itself belongs to whoever loaded it.
    dispose: async () => undefined,
  };
}
