import * as tf from '@tensorflow/tfjs';
import type { CnnParams } from '../lib/architecture/cnn';

/** For specs: the library's CNN at a size that builds and runs in milliseconds. */
export const SMALL_CNN: CnnParams = {
  conv1Filters: 8,
  conv2Filters: 16,
  kernelSize: 3,
  denseUnits: 32,
  dropout: 0.5,
  seed: 7,
};

/**
 * Gives every weight seeded random values, so that batch normalisation's statistics are not 0 and
 * 1 and a weight put in the wrong order changes the answers.
 */
export function randomiseWeights<M extends tf.LayersModel>(model: M): M {
  model.setWeights(
    model.weights.map((w, i) =>
      w.name.includes('variance')
        ? tf.randomUniform(w.shape as number[], 0.5, 2, 'float32', i)
        : tf.randomNormal(w.shape as number[], 0, 0.3, 'float32', i),
    ),
  );
  return model;
}
