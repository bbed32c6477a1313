import * as tf from '@tensorflow/tfjs';
import { activateBackend, AUGMENT_DIGITS } from '@mnist-mlops/compute';
import { augmentBatch } from './augment';

/** The native backend's compiled augmentation (libs/compute/native/augment-digits.cc). */
describe('augmentation on the native backend', () => {
  beforeAll(() => activateBackend('tensorflow'));

  async function onBoth<T>(compute: () => T): Promise<{ native: T; reference: T }> {
    await tf.setBackend('tensorflow');
    const native = compute();
    await activateBackend('cpu');
    const reference = compute();
    await tf.setBackend('tensorflow');
    return { native, reference };
  }

  it('augments a batch in one compiled op, as the tfjs ops of the reference do', async () => {
    const settings = {
      rotation: 15,
      scale: 0.2,
      shear: 15,
      shift: 3,
      elastic: 2,
      stroke: 1,
      blur: 0.5,
      contrast: 0.3,
    };
    expect(tf.getKernel(AUGMENT_DIGITS, 'tensorflow')).toBeDefined();
    const { native, reference } = await onBoth(() =>
      tf.tidy(() => {
        // Digit-like pictures: soft blobs of ink that reach the border, so clipping matters too.
        const xs = tf.randomUniform([16, 28, 28, 1], -1, 1.5, 'float32', 3).clipByValue(0, 1);
        return Array.from(augmentBatch(xs as tf.Tensor4D, settings, 'batch 7').dataSync());
      }),
    );
    expect(native).toHaveLength(16 * 784);
    let largest = 0;
    for (let i = 0; i < native.length; i++)
      largest = Math.max(largest, Math.abs(native[i] - reference[i]));
    expect(largest).toBeLessThan(1e-4);
  });
});
