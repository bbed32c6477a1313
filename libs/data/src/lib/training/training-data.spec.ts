import * as tf from '@tensorflow/tfjs';
import type { LabeledImages } from '../mnist/mnist-dataset';
import { batchesPerEpoch, shuffledBatches } from './batches';
import { toTensors } from './preprocess';
import { seededPermutation, splitValidation } from './split';

function numbered(count: number): LabeledImages {
  const images = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) images.fill(i, i * 4, i * 4 + 4);
  return {
    images,
    labels: Uint8Array.from({ length: count }, (_, i) => i % 10),
    count,
    height: 2,
    width: 2,
  };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('seededPermutation', () => {
  it('is a permutation that depends only on the seed', () => {
    const a = seededPermutation(1000, 1);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect([...seededPermutation(1000, 1)]).toEqual([...a]);
    expect([...seededPermutation(1000, 2)]).not.toEqual([...a]);
  });
});

describe('splitValidation', () => {
  it('holds out the requested share, disjoint from training, the same for the same seed', () => {
    const data = numbered(200);
    const { train, validation } = splitValidation(data, 0.1, 42);
    expect(validation.count).toBe(20);
    expect(train.count).toBe(180);
    const firstPixel = (d: LabeledImages) =>
      Array.from({ length: d.count }, (_, i) => d.images[i * 4]);
    const seen = new Set([...firstPixel(train), ...firstPixel(validation)]);
    expect(seen.size).toBe(200);
    // Each image keeps its own label.
    expect(validation.labels[0]).toBe(firstPixel(validation)[0] % 10);
    expect(firstPixel(splitValidation(data, 0.1, 42).validation)).toEqual(firstPixel(validation));
    expect(firstPixel(splitValidation(data, 0.1, 43).validation)).not.toEqual(
      firstPixel(validation),
    );
  });

  it('allows no validation at all', () => {
    expect(splitValidation(numbered(10), 0, 1).validation.count).toBe(0);
  });
});

describe('toTensors and shuffledBatches', () => {
  it('scales pixels to [0, 1] and one-hot encodes labels', () => {
    const { xs, ys } = toTensors(numbered(3));
    expect(xs.shape).toEqual([3, 2, 2, 1]);
    expect(xs.dataSync()[4]).toBeCloseTo(1 / 255);
    expect(ys.shape).toEqual([3, 10]);
    expect([...ys.dataSync().subarray(10, 20)]).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    tf.dispose([xs, ys]);
  });

  it('covers every example once per epoch, reshuffles each epoch, and leaks no tensors', async () => {
    const { xs, ys } = toTensors(numbered(50));
    const dataset = shuffledBatches(xs, ys, 16, 7);
    const before = tf.memory().numTensors;
    const epochs: number[][] = [];
    for (let epoch = 0; epoch < 2; epoch++) {
      const order: number[] = [];
      const sizes: number[] = [];
      await dataset.forEachAsync((batch) => {
        sizes.push(batch.xs.shape[0]);
        const pixels = batch.xs.dataSync();
        for (let i = 0; i < batch.xs.shape[0]; i++) order.push(Math.round(pixels[i * 4] * 255));
        // Labels travel with their images.
        const argMax = batch.ys.argMax(1);
        const labels = argMax.dataSync();
        argMax.dispose();
        const batchOffset = order.length - batch.xs.shape[0];
        labels.forEach((label, i) => expect(label).toBe(order[batchOffset + i] % 10));
        tf.dispose([batch.xs, batch.ys]);
      });
      expect(sizes).toEqual([16, 16, 16, 2]);
      expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      epochs.push(order);
    }
    expect(epochs[0]).not.toEqual(epochs[1]);
    expect(tf.memory().numTensors).toBe(before);
    expect(batchesPerEpoch(50, 16)).toBe(4);
    tf.dispose([xs, ys]);
  });
});
