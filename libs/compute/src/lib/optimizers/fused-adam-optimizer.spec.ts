import * as tf from '@tensorflow/tfjs';
import { smallCnn } from '../../test-support/small-cnn';
import { activateBackend } from '../backends/select-backend';
import { ADAM_UPDATE, FusedAdamOptimizer } from './fused-adam-optimizer';

/** The fused Adam must be tfjs's Adam, bit for bit, only faster. */
describe('FusedAdamOptimizer', () => {
  const params = {
    conv1Filters: 4,
    conv2Filters: 8,
    kernelSize: 3,
    denseUnits: 16,
    dropout: 0,
    seed: 9,
  };

  /** The default CNN on the native backend; a small dense net where convolutions are slow. */
  const buildModel = () =>
    tf.getBackend() === 'tensorflow'
      ? smallCnn(params)
      : tf.sequential({
          layers: [
            tf.layers.flatten({ inputShape: [28, 28, 1] }),
            tf.layers.dense({
              units: 16,
              activation: 'relu',
              kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
            }),
            tf.layers.dense({
              units: 10,
              activation: 'softmax',
              kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
            }),
          ],
        });

  async function trainWith(
    optimizer: tf.Optimizer,
  ): Promise<{ weights: number[][]; state: number[][] }> {
    const model = buildModel();
    model.compile({ optimizer, loss: 'categoricalCrossentropy' });
    const xs = tf.randomUniform([16, 28, 28, 1], 0, 1, 'float32', 1);
    const ys = tf.oneHot(
      tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5], 'int32'),
      10,
    );
    for (let step = 0; step < 5; step++) await model.trainOnBatch(xs, ys);
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const state = (await optimizer.getWeights()).map((w) => Array.from(w.tensor.dataSync()));
    tf.dispose([xs, ys]);
    model.dispose();
    return { weights, state };
  }

  it.each(['cpu', 'tensorflow'] as const)(
    'on %s gives exactly what tf.train.adam gives, weights and moments',
    async (backend) => {
      await activateBackend(backend);
      const fused = await trainWith(new FusedAdamOptimizer(0.01));
      const reference = await trainWith(tf.train.adam(0.01));
      expect(fused.state.length).toBe(reference.state.length);
      expect(fused.weights).toEqual(reference.weights);
      expect(fused.state).toEqual(reference.state);
    },
  );

  it('uses one compiled kernel per variable on the native backend', async () => {
    await activateBackend('tensorflow');
    const profile = await tf.profile(() => trainWith(new FusedAdamOptimizer(0.01)));
    const updates = profile.kernels.filter((k) => k.name === ADAM_UPDATE).length;
    // 5 steps x 8 variables (2 conv kernels and biases, 2 dense kernels and biases).
    expect(updates).toBe(40);
  });

  it('serialises as Adam, so saved training configs stay what tfjs and Keras expect', () => {
    expect(FusedAdamOptimizer.className).toBe('Adam');
    expect(new FusedAdamOptimizer(0.5).getConfig()).toEqual(tf.train.adam(0.5).getConfig());
  });
});
