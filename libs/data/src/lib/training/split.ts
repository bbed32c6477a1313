import seedrandom from 'seedrandom';
import type { LabeledImages } from '../mnist/mnist-dataset';

/** A Fisher-Yates permutation of 0..n-1 that depends only on the seed. */
export function seededPermutation(n: number, seed: number | string): Int32Array {
  const random = seedrandom(String(seed));
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  return order;
}

/** The images at the given indices, in that order, copied into new arrays. */
export function selectImages(data: LabeledImages, indices: ArrayLike<number>): LabeledImages {
  const pixels = data.height * data.width;
  const images = new Uint8Array(indices.length * pixels);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i];
    images.set(data.images.subarray(from * pixels, (from + 1) * pixels), i * pixels);
    labels[i] = data.labels[from];
  }
  return { images, labels, count: indices.length, height: data.height, width: data.width };
}

export interface TrainValidationSplit {
  train: LabeledImages;
  validation: LabeledImages;
}

/**
 * Holds out a seeded random share of the images for validation. The split is the same for the
 * same seed, so a re-run validates on the same images.
 */
export function splitValidation(
  data: LabeledImages,
  fraction: number,
  seed: number,
): TrainValidationSplit {
  if (fraction < 0 || fraction >= 1)
    throw new RangeError(`validation fraction must be in [0, 1), got ${fraction}`);
  const order = seededPermutation(data.count, `${seed}:validation`);
  const held = Math.round(data.count * fraction);
  return {
    train: selectImages(data, order.subarray(0, data.count - held)),
    validation: selectImages(data, order.subarray(data.count - held)),
  };
}
