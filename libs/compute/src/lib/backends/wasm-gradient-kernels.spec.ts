import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradientKernels } from './wasm-gradient-kernels';
import { activateBackend } from './select-backend';

type Pad = 'same' | 'valid';
interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  pad: Pad;
}

/** Gradients of sum(conv2d(x, filter) * r) by x and by filter, on the current backend. */
function convGradients(
  c: Case,
  values: { x: Float32Array; filter: Float32Array; r: Float32Array },
  outShape: number[],
) {
  return tf.tidy(() => {
    const x = tf.tensor4d(values.x, c.x);
    const filter = tf.tensor4d(values.filter, c.filter);
    const r = tf.tensor(values.r, outShape);
    const [dx, dFilter] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf
        .conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad)
        .mul(r)
        .sum(),
    )([x, filter]);
    return { dx: Float32Array.from(dx.dataSync()), dFilter: Float32Array.from(dFilter.dataSync()) };
  });
}

function random(n: number, seed: number): Float32Array {
  const values = tf.tidy(() => tf.randomNormal([n], 0, 1, 'float32', seed));
  const out = Float32Array.from(values.dataSync());
  values.dispose();
  return out;
}

function maxRelativeError(actual: Float32Array, expected: Float32Array): number {
  const scale = Math.max(1e-6, ...expected.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / scale);
  return worst;
}

const cases: Case[] = [];
for (const strides of [
  [1, 1],
  [2, 2],
  [1, 2],
] as [number, number][]) {
  for (const pad of ['same', 'valid'] as Pad[]) {
    cases.push({ x: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides, pad });
    cases.push({ x: [3, 10, 8, 2], filter: [2, 4, 2, 5], strides, pad });
  }
}
// The shapes of the default MNIST CNN.
cases.push({ x: [4, 28, 28, 1], filter: [3, 3, 1, 32], strides: [1, 1], pad: 'valid' });
cases.push({ x: [2, 13, 13, 32], filter: [3, 3, 32, 64], strides: [1, 1], pad: 'valid' });

describe('wasm convolution gradient kernels', () => {
  beforeAll(async () => {
    registerWasmGradientKernels();
    registerWasmGradientKernels(); // idempotent
    expect(await tf.setBackend('wasm')).toBe(true);
  });

  afterAll(() => tf.setBackend('cpu'));

  it.each(
    cases.map((c) => [`x ${c.x} filter ${c.filter} strides ${c.strides} ${c.pad}`, c] as const),
  )('match the pure-JS cpu backend: %s', async (_name, c) => {
    const outShape = tf.tidy(
      () =>
        tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad)
          .shape,
    );
    const values = {
      x: random(
        c.x.reduce((a, b) => a * b),
        1,
      ),
      filter: random(
        c.filter.reduce((a, b) => a * b),
        2,
      ),
      r: random(
        outShape.reduce((a, b) => a * b),
        3,
      ),
    };
    await activateBackend('cpu');
    const expected = convGradients(c, values, outShape);
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const actual = convGradients(c, values, outShape);
    expect(tf.memory().numTensors).toBe(before);
    expect(actual.dFilter.length).toBe(expected.dFilter.length);
    expect(maxRelativeError(actual.dFilter, expected.dFilter)).toBeLessThan(1e-5);
    expect(maxRelativeError(actual.dx, expected.dx)).toBeLessThan(1e-5);
  });

  it('trains a small CNN on wasm: the loss goes down', async () => {
    await tf.setBackend('wasm');
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [8, 8, 1],
          filters: 4,
          kernelSize: 3,
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
        tf.layers.flatten(),
        tf.layers.dense({
          units: 2,
          activation: 'softmax',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const xs = tf.tidy(() =>
      tf
        .concat([tf.ones([16, 8, 8, 1]), tf.zeros([16, 8, 8, 1])])
        .add(tf.randomUniform([32, 8, 8, 1], 0, 0.2, 'float32', 3)),
    );
    const ys = tf.oneHot(tf.tensor1d([...Array(16).fill(0), ...Array(16).fill(1)], 'int32'), 2);
    const history = await model.fit(xs, ys, {
      epochs: 15,
      batchSize: 8,
      verbose: 0,
      shuffle: false,
    });
    const losses = history.history['loss'] as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.5);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
