import * as tf from '@tensorflow/tfjs';
import { activateBackend } from '../backends/select-backend';
import { FusedAdamOptimizer } from '../optimizers/fused-adam-optimizer';
import { smallCnn } from '../../test-support/small-cnn';
import { Conv2D, CONV2D_BIAS_RELU } from './conv2d';

describe('Conv2D', () => {
  const params = {
    conv1Filters: 8,
    conv2Filters: 16,
    kernelSize: 3,
    denseUnits: 0,
    dropout: 0,
    seed: 5,
  };

  /** The same model with tfjs's own Conv2D layers, sharing ours' initial weights. */
  function withTfjsConvolutions(ours: tf.Sequential): tf.Sequential {
    return tf.sequential({
      name: ours.name,
      layers: ours.layers.map((layer) =>
        layer instanceof Conv2D ? tf.layers.conv2d(layer.getConfig() as never) : layer,
      ),
    });
  }

  async function train(model: tf.Sequential): Promise<number[][]> {
    model.compile({ optimizer: new FusedAdamOptimizer(0.01), loss: 'categoricalCrossentropy' });
    const xs = tf.randomUniform([32, 28, 28, 1], 0, 1, 'float32', 2);
    const ys = tf.oneHot(
      tf.tensor1d(
        [...Array(32).keys()].map((i) => i % 10),
        'int32',
      ),
      10,
    );
    for (let step = 0; step < 4; step++) await model.trainOnBatch(xs, ys);
    tf.dispose([xs, ys]);
    return model.getWeights().map((w) => Array.from(w.dataSync()));
  }

  it("trains to exactly the weights tfjs's own Conv2D gives, on the native backend", async () => {
    await activateBackend('tensorflow');
    const ours = smallCnn(params);
    const theirs = withTfjsConvolutions(smallCnn(params));
    theirs.setWeights(ours.getWeights());
    const [a, b] = [await train(ours), await train(theirs)];
    expect(a).toEqual(b);
  });

  it("is tfjs's Conv2D where the backend has no fused kernel", async () => {
    await activateBackend('cpu');
    const ours = new Conv2D({ filters: 3, kernelSize: 3, activation: 'relu' });
    const x = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 4);
    const theirs = tf.layers.conv2d(ours.getConfig() as never);
    theirs.apply(x);
    ours.apply(x);
    theirs.setWeights(ours.getWeights());
    const grads = (layer: tf.layers.Layer) =>
      tf
        .grads((input: tf.Tensor) => (layer.apply(input) as tf.Tensor).sum())([x])[0]
        .arraySync();
    expect(grads(ours)).toEqual(grads(theirs));
  });

  it('records one op for conv, bias and ReLU while training on the native backend', async () => {
    await activateBackend('tensorflow');
    const model = smallCnn(params);
    model.compile({ optimizer: new FusedAdamOptimizer(0.01), loss: 'categoricalCrossentropy' });
    const xs = tf.zeros([8, 28, 28, 1]);
    const ys = tf.oneHot(tf.zeros([8], 'int32'), 10);
    const profile = await tf.profile(() => model.trainOnBatch(xs, ys));
    expect(profile.kernelNames).toContain(CONV2D_BIAS_RELU);
    expect(profile.kernelNames).not.toContain(tf.Relu);
  });

  it("saves exactly as tfjs's own Conv2D and loads back as it", async () => {
    const ours = smallCnn(params);
    expect(ours.toJSON(null, false)).toEqual(withTfjsConvolutions(ours).toJSON(null, false));
    const loaded = await tf.models.modelFromJSON({
      modelTopology: ours.toJSON(null, false),
    } as tf.io.ModelJSON);
    expect(loaded.layers[0]).not.toBeInstanceOf(Conv2D);
    expect(loaded.layers[0].getClassName()).toBe('Conv2D');
  });
});
