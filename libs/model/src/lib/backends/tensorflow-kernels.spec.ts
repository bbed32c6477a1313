import * as tf from '@tensorflow/tfjs';
import { activateBackend } from './select-backend';

/** The native backend's replacement kernels give what the pure-JS reference gives. */
describe('tensorflow backend kernels', () => {
  beforeAll(() => activateBackend('tensorflow'));

  function onBoth<T>(compute: () => T): Promise<{ native: T; reference: T }> {
    return (async () => {
      await tf.setBackend('tensorflow');
      const native = compute();
      await activateBackend('cpu');
      const reference = compute();
      await tf.setBackend('tensorflow');
      return { native, reference };
    })();
  }

  it('Step with alpha 0 (the ReLU gradient) matches the reference, and is used by the fused conv gradient', async () => {
    expect(String(tf.getKernel(tf.Step, 'tensorflow')?.kernelFunc)).toContain("'Greater'");
    const values = [-2, -0.5, 0, 1e-9, 0.5, 3, -0, 7];
    const { native, reference } = await onBoth(() => tf.step(tf.tensor1d(values)).arraySync());
    expect(native).toEqual(reference);

    const gradients = await onBoth(() =>
      tf.tidy(() => {
        const x = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 5);
        const filter = tf.randomNormal([3, 3, 2, 3], 0, 1, 'float32', 6);
        const loss = (f: tf.Tensor) =>
          tf.fused
            .conv2d({
              x: x as tf.Tensor4D,
              filter: f as tf.Tensor4D,
              strides: 1,
              pad: 'valid',
              activation: 'relu',
            })
            .square()
            .sum() as tf.Scalar;
        return Array.from(tf.grad(loss)(filter).dataSync());
      }),
    );
    gradients.native.forEach((g, i) => expect(g).toBeCloseTo(gradients.reference[i], 3));
  });

  it('Step with another alpha keeps the original kernel', async () => {
    const { native, reference } = await onBoth(() =>
      tf.step(tf.tensor1d([-1, 0, 2]), 0.25).arraySync(),
    );
    expect(native).toEqual(reference);
  });
});
