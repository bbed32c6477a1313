import * as tf from '@tensorflow/tfjs';
import { activateBackend } from '../backends/select-backend';
import { smallCnn } from '../../test-support/small-cnn';
import { Dropout, DROPOUT_MASK } from './dropout';

describe('Dropout', () => {
  const params = {
    conv1Filters: 4,
    conv2Filters: 8,
    kernelSize: 3,
    denseUnits: 0,
    dropout: 0.5,
    seed: 3,
  };

  it.each(['tensorflow', 'cpu'] as const)(
    'on %s keeps each unit with probability 1 - rate, scaled by 1 / (1 - rate), only in training',
    async (backend) => {
      await activateBackend(backend);
      const layer = new Dropout({ rate: 0.3 });
      const x = tf.fill([200, 1000], 2);
      const trained = layer.apply(x, { training: true }) as tf.Tensor;
      const values = trained.dataSync();
      const kept = values.filter((v) => v !== 0);
      // 200,000 draws: the kept share is within 0.006 of 0.7 with overwhelming probability.
      expect(Math.abs(kept.length / values.length - 0.7)).toBeLessThan(0.006);
      expect(new Set(kept)).toEqual(new Set([Math.fround(2 * Math.fround(1 / Math.fround(0.7)))]));
      // Neighbours are independent: both kept 0.49 of the time, both dropped 0.09.
      let same = 0;
      for (let i = 1; i < values.length; i++)
        if ((values[i] === 0) === (values[i - 1] === 0)) same++;
      expect(Math.abs(same / (values.length - 1) - 0.58)).toBeLessThan(0.01);
      // A new mask every call.
      const again = (layer.apply(x, { training: true }) as tf.Tensor).dataSync();
      expect(again.some((v, i) => (v === 0) !== (values[i] === 0))).toBe(true);
      // Inference passes the input through.
      expect(Array.from((layer.apply(x) as tf.Tensor).dataSync().slice(0, 5))).toEqual([
        2, 2, 2, 2, 2,
      ]);
    },
  );

  it('makes its mask in one native kernel on the tensorflow backend, and gradients flow through it', async () => {
    await activateBackend('tensorflow');
    const layer = new Dropout({ rate: 0.5 });
    const x = tf.ones([64, 64]);
    const profile = await tf.profile(() => {
      const [output, gradient] = tf.tidy(() => {
        let out: tf.Tensor | undefined;
        const grad = tf.grad((input: tf.Tensor) => {
          out = tf.keep(layer.apply(input, { training: true }) as tf.Tensor);
          return out.sum();
        })(x);
        return [out as tf.Tensor, grad];
      });
      // d(sum(x * mask))/dx is the mask itself.
      expect(Array.from(gradient.dataSync())).toEqual(Array.from(output.dataSync()));
      tf.dispose([output, gradient]);
    });
    expect(profile.kernelNames).toContain(DROPOUT_MASK);
  });

  it("saves exactly as tfjs's own Dropout and loads back as it", async () => {
    const ours = smallCnn(params);
    const theirs = tf.sequential({
      name: ours.name,
      layers: ours.layers.map((layer) =>
        layer instanceof Dropout
          ? tf.layers.dropout({ rate: layer.rate, name: layer.name })
          : layer,
      ),
    });
    expect(ours.toJSON(null, false)).toEqual(theirs.toJSON(null, false));
    const dropoutConfig = ours.layers[5].getConfig();
    expect(dropoutConfig).toEqual(expect.objectContaining({ rate: 0.5 }));
    const loaded = (
      await tf.models.modelFromJSON({
        modelTopology: ours.toJSON(null, false),
      } as tf.io.ModelJSON)
    ).getLayer(ours.layers[5].name);
    expect(loaded).not.toBeInstanceOf(Dropout);
    expect(loaded.getClassName()).toBe('Dropout');
    expect(loaded.getConfig()).toEqual(dropoutConfig);
  });
});
