import * as tf from '@tensorflow/tfjs';

/**
 * Class probabilities for every image, computed in chunks so a large test set does not need
 * one huge activation tensor. Returns a flat array, `count * classes` long.
 */
export function predictProbabilities(
  model: tf.LayersModel,
  xs: tf.Tensor,
  chunkSize = 1000,
): Float32Array {
  const count = xs.shape[0];
  const classes = (model.outputs[0].shape[1] as number) ?? 10;
  const out = new Float32Array(count * classes);
  for (let start = 0; start < count; start += chunkSize) {
    const size = Math.min(chunkSize, count - start);
    const probabilities = tf.tidy(() => model.predict(xs.slice(start, size)) as tf.Tensor);
    out.set(probabilities.dataSync(), start * classes);
    probabilities.dispose();
  }
  return out;
}
