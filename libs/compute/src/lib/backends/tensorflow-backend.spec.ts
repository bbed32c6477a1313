import * as tf from '@tensorflow/tfjs';
import { activateBackend } from './select-backend';

/**
 * The native backend is built by `npm run setup` (against PyPI's tensorflow-cpu wheel when the
 * prebuilt download is unreachable). These tests fail, rather than skip, when it is missing.
 */
describe('native tensorflow backend', () => {
  beforeAll(async () => {
    const active = await activateBackend('tensorflow');
    expect(active.description).toMatch(/@tensorflow\/tfjs-node 4\.22\.0, TensorFlow \d+\.\d+/);
  });

  it('is what auto picks when no GPU package is installed', async () => {
    expect((await activateBackend('auto')).name).toBe('tensorflow');
  });

  it('computes convolution gradients like the pure-JS reference', async () => {
    const x = tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 1);
    const filter = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2);
    const gradients = () =>
      tf
        .grads((a: tf.Tensor, b: tf.Tensor) =>
          tf
            .conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')
            .square()
            .sum(),
        )([x, filter])
        .map((g) => g.arraySync());
    const native = gradients();
    await activateBackend('cpu');
    const reference = gradients();
    await tf.setBackend('tensorflow');
    const close = (a: unknown, b: unknown) =>
      expect(
        tf
          .tensor(a as number[])
          .sub(tf.tensor(b as number[]))
          .abs()
          .max()
          .dataSync()[0],
      ).toBeLessThan(1e-3);
    close(native[0], reference[0]);
    close(native[1], reference[1]);
  });
});
