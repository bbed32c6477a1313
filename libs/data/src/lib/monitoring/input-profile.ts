import { MNIST_SIZE } from '../images/digit-image';
import type { LabeledImages } from '../mnist/mnist-dataset';
import { NUM_CLASSES } from '../mnist/mnist-dataset';

const PIXELS = MNIST_SIZE * MNIST_SIZE;

/**
 * What is measured of every picture the model sees, to tell whether live traffic still looks like
 * the training data: the ink of the 28x28 itself, and what preparation had to do to get there.
 */
export interface PictureStatistics {
  /** Share of the 28x28's pixels that are ink (above half intensity). */
  inkShare: number;
  /** Mean intensity of the 28x28, 0 to 1. */
  meanIntensity: number;
  /** The digit's box as a share of the picture it was found in (a 28x28 tensor: its own box). */
  cropShare: number;
  /** The picture was dark ink on a light ground and had to be inverted. */
  inverted: boolean;
}

export type FeatureName = 'ink_share' | 'mean_intensity' | 'crop_share' | 'inverted';

export const FEATURE_NAMES: readonly FeatureName[] = [
  'ink_share',
  'mean_intensity',
  'crop_share',
  'inverted',
];

/** Continuous features are binned at the training data's deciles, so every bin expects a tenth. */
export const PROFILE_BINS = 10;

/** One feature of the training data: upper bin edges (the last bin is open) and images per bin. */
export interface FeatureProfile {
  edges: number[];
  counts: number[];
}

/** The training data as the monitor compares live traffic with it: counts per class and per bin. */
export interface InputProfile {
  images: number;
  /** Images per class 0-9. */
  labels: number[];
  features: Record<FeatureName, FeatureProfile>;
}

export function featureValue(statistics: PictureStatistics, feature: FeatureName): number {
  switch (feature) {
    case 'ink_share':
      return statistics.inkShare;
    case 'mean_intensity':
      return statistics.meanIntensity;
    case 'crop_share':
      return statistics.cropShare;
    case 'inverted':
      return statistics.inverted ? 1 : 0;
  }
}

/** The bin of `value`: the first whose upper edge is above it, or the last, open one. */
export function featureBin(edges: readonly number[], value: number): number {
  let bin = 0;
  while (bin < edges.length && value >= edges[bin]) bin++;
  return bin;
}

/**
 * Bin edges at the deciles of `values` (each edge once). Bins of equal expected share keep the
 * stability index steady on small windows; fixed bins where the training data is thin (a tenth
 * of a percent of images) make a few live pictures look like a shift.
 */
function decileEdges(values: Float64Array): number[] {
  const sorted = Float64Array.from(values).sort();
  const edges: number[] = [];
  for (let q = 1; q < PROFILE_BINS; q++) {
    const edge = sorted[Math.floor((q * sorted.length) / PROFILE_BINS)];
    if (edge !== undefined && edge > (edges.at(-1) ?? -Infinity)) edges.push(edge);
  }
  return edges;
}

/**
 * A 28x28 (white ink on black, as the model takes it) measured; `prepared` says what preparation
 * did when it came from a picture. Without it the 28x28 is taken as its own picture, which is how
 * training images and tensors sent as they are count.
 */
export function pictureStatistics(
  pixels: Uint8Array,
  prepared?: { inverted: boolean; cropShare: number },
): PictureStatistics {
  let ink = 0;
  let sum = 0;
  let top = MNIST_SIZE;
  let bottom = -1;
  let left = MNIST_SIZE;
  let right = -1;
  for (let i = 0; i < PIXELS; i++) {
    const value = pixels[i];
    sum += value;
    if (value > 127) ink++;
    if (value > 0) {
      const y = (i / MNIST_SIZE) | 0;
      const x = i % MNIST_SIZE;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
      if (x < left) left = x;
      if (x > right) right = x;
    }
  }
  const ownBox = bottom < 0 ? 0 : ((bottom - top + 1) * (right - left + 1)) / PIXELS;
  return {
    inkShare: ink / PIXELS,
    meanIntensity: sum / 255 / PIXELS,
    cropShare: prepared?.cropShare ?? ownBox,
    inverted: prepared?.inverted ?? false,
  };
}

/** The reference of a training set, saved with the model it trained. */
export function profileImages(data: LabeledImages): InputProfile {
  const labels = new Array<number>(NUM_CLASSES).fill(0);
  const values = Object.fromEntries(
    FEATURE_NAMES.map((name) => [name, new Float64Array(data.count)]),
  ) as Record<FeatureName, Float64Array>;
  const size = data.height * data.width;
  for (let i = 0; i < data.count; i++) {
    labels[data.labels[i]]++;
    const statistics = pictureStatistics(data.images.subarray(i * size, (i + 1) * size));
    for (const name of FEATURE_NAMES) values[name][i] = featureValue(statistics, name);
  }
  const features = Object.fromEntries(
    FEATURE_NAMES.map((name) => {
      // Inverted or not is yes or no, whatever the training data held.
      const edges = name === 'inverted' ? [0.5] : decileEdges(values[name]);
      const counts = new Array<number>(edges.length + 1).fill(0);
      for (const value of values[name]) counts[featureBin(edges, value)]++;
      return [name, { edges, counts }];
    }),
  ) as Record<FeatureName, FeatureProfile>;
  return { images: data.count, labels, features };
}
