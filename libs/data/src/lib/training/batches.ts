import * as tf from '@tensorflow/tfjs';
import { augmentBatch, augmentationIsOff, type AugmentSettings } from './augment';
import { seededPermutation } from './split';

export interface Batch extends tf.TensorContainerObject {
  xs: tf.Tensor;
  ys: tf.Tensor;
}

/**
 * A dataset of mini-batches drawn from tensors already on the backend, reshuffled every epoch
 * with a permutation derived from the seed and the epoch number. Each batch is two gathers, and
 * its images are augmented on the backend when `augmentation` asks for it (seeded by the seed,
 * the epoch and the batch); the consumer (tfjs `fitDataset`) disposes the batch tensors after its
 * step.
 */
export function shuffledBatches(
  xs: tf.Tensor,
  ys: tf.Tensor,
  batchSize: number,
  seed: number,
  augmentation?: AugmentSettings,
): tf.data.Dataset<Batch> {
  const augment = augmentation && !augmentationIsOff(augmentation) ? augmentation : undefined;
  const count = xs.shape[0];
  if (ys.shape[0] !== count) throw new RangeError(`xs has ${count} rows but ys has ${ys.shape[0]}`);
  let epoch = 0;
  return tf.data.generator(function* () {
    const thisEpoch = epoch++;
    const order = seededPermutation(count, `${seed}:epoch:${thisEpoch}`);
    for (let start = 0; start < count; start += batchSize) {
      const indices = order.subarray(start, Math.min(start + batchSize, count));
      yield tf.tidy(() => {
        const at = tf.tensor1d(indices, 'int32');
        const images = tf.gather(xs, at) as tf.Tensor4D;
        return {
          xs: augment
            ? augmentBatch(images, augment, `${seed}:augment:${thisEpoch}:${start}`)
            : images,
          ys: tf.gather(ys, at),
        };
      });
    }
  });
}

/** Batches per epoch for a given number of examples. */
export function batchesPerEpoch(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}
