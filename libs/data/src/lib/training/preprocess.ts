import * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES, type LabeledImages } from '../mnist/mnist-dataset';

/**
 * The model input for 8-bit grayscale images: shape [N, height, width, 1], values in [0, 1],
 * white ink on black as in MNIST. Training, validation and serving all go through this.
 */
export function pixelsToInput(
  pixels: Uint8Array,
  count: number,
  height: number,
  width: number,
): tf.Tensor4D {
  return tf.tidy(() => tf.tensor4d(pixels, [count, height, width, 1], 'int32').toFloat().div(255));
}

/** Input tensors and one-hot labels for a set of labeled images. */
export function toTensors(data: LabeledImages): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const xs = pixelsToInput(data.images, data.count, data.height, data.width);
  const ys = tf.tidy(
    () => tf.oneHot(tf.tensor1d(data.labels, 'int32'), NUM_CLASSES).toFloat() as tf.Tensor2D,
  );
  return { xs, ys };
}
