import * as tf from '@tensorflow/tfjs';
import { augmentationParams, augmentBatch, NO_AUGMENTATION, type AugmentSettings } from './augment';
import { shuffledBatches } from './batches';

const ALL: AugmentSettings = {
  rotation: 15,
  scale: 0.2,
  shear: 15,
  shift: 3,
  elastic: 2,
  stroke: 1,
  blur: 0.5,
  contrast: 0.3,
};

/** A batch of simple digits: a bar of ink in each, at a different place. */
function bars(count: number): tf.Tensor4D {
  const data = new Float32Array(count * 784);
  for (let n = 0; n < count; n++)
    for (let y = 6; y < 22; y++)
      for (let x = 10 + (n % 5); x < 13 + (n % 5); x++) data[n * 784 + y * 28 + x] = 1;
  return tf.tensor4d(data, [count, 28, 28, 1]);
}

describe('augmentBatch (tfjs ops; the compiled kernel is checked against these in libs/model)', () => {
  it('is the identity at strength 0, for each setting alone too', () => {
    const xs = bars(8);
    expect(augmentBatch(xs, NO_AUGMENTATION, 's').arraySync()).toEqual(xs.arraySync());
    // An affine of 0 degrees and no elastic field reads every pixel where it is.
    const still = augmentBatch(xs, { ...NO_AUGMENTATION, contrast: 1e-9 }, 's');
    expect(tf.max(tf.abs(still.sub(xs))).dataSync()[0]).toBeLessThan(1e-6);
  });

  it('repeats exactly with the same seed, and differs with another', () => {
    const xs = bars(8);
    const a = augmentBatch(xs, ALL, 'epoch 1 batch 0').dataSync();
    const b = augmentBatch(xs, ALL, 'epoch 1 batch 0').dataSync();
    const c = augmentBatch(xs, ALL, 'epoch 1 batch 1').dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('stays within [0, 1], keeps most of the ink, and moves it within the limits asked', () => {
    const xs = bars(32);
    const out = augmentBatch(xs, { ...NO_AUGMENTATION, shift: 3 }, 'shift');
    const values = out.dataSync();
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    const inkBefore = xs.sum([1, 2, 3]).dataSync();
    const inkAfter = out.sum([1, 2, 3]).dataSync();
    inkBefore.forEach((v, i) => expect(inkAfter[i]).toBeCloseTo(v, 0));
    // Centre of mass moved by at most the shift, in x and y.
    const centre = (t: tf.Tensor4D) =>
      tf.tidy(() => {
        const grid = tf.range(0, 28).reshape([1, 28, 1, 1]);
        return t
          .mul(grid)
          .sum([1, 2, 3])
          .div(t.sum([1, 2, 3]))
          .dataSync();
      });
    const [before, after] = [centre(xs), centre(out)];
    before.forEach((v, i) => expect(Math.abs(after[i] - v)).toBeLessThanOrEqual(3.01));
  });

  it('draws each setting within its range', () => {
    const p = augmentationParams(
      500,
      28,
      28,
      { ...NO_AUGMENTATION, rotation: 10, scale: 0.2 },
      'r',
    );
    for (let i = 0; i < 500; i++) {
      const [m00, , m10] = p.subarray(i * 41, i * 41 + 3);
      const zoom = 1 / Math.hypot(m00, m10);
      const angle = Math.abs(Math.atan2(-m10, m00)) * (180 / Math.PI);
      expect(zoom).toBeGreaterThanOrEqual(0.8 - 1e-6);
      expect(zoom).toBeLessThanOrEqual(1.2 + 1e-6);
      expect(angle).toBeLessThanOrEqual(10 + 1e-4);
    }
  });

  it('leaves labels untouched and the tensor count flat across epochs when batches are augmented', async () => {
    const xs = bars(40);
    const ys = tf.oneHot(
      tf.tensor1d(
        Array.from({ length: 40 }, (_, i) => i % 10),
        'int32',
      ),
      10,
    );
    const plain = shuffledBatches(xs, ys, 16, 3);
    const augmented = shuffledBatches(xs, ys, 16, 3, ALL);
    const labels = async (d: typeof plain) => {
      const out: number[][] = [];
      await d.forEachAsync((b) => {
        const classes = b.ys.argMax(1);
        out.push(Array.from(classes.dataSync()));
        tf.dispose([b.xs, b.ys, classes]);
      });
      return out;
    };
    expect(await labels(augmented)).toEqual(await labels(plain));
    const before = tf.memory().numTensors;
    for (let epoch = 0; epoch < 3; epoch++) await labels(augmented);
    expect(tf.memory().numTensors).toBe(before);
  });
});
