import * as tf from '@tensorflow/tfjs';
import { activateBackend } from './select-backend';
import { RELU_GRAD, registerTensorflowKernels } from './tensorflow-kernels';

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

  it('Step with alpha 0 matches the reference, and so does the gradient of a conv with ReLU', async () => {
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

  it('are compiled by `nx run compute:build-native` and in use', () => {
    const registration = registerTensorflowKernels();
    expect(registration.missing).toBeUndefined();
    expect(registration.replaced).toEqual([
      tf.Step,
      'Relu gradient',
      tf.FusedConv2D,
      tf.MaxPoolGrad,
      'Adam',
      'Dropout mask',
      'augmentation',
      'Conv2D + bias + ReLU',
    ]);
    expect(registration.compiled).toEqual([
      tf.FusedConv2D,
      tf.MaxPoolGrad,
      'Adam',
      'Dropout mask',
      'augmentation',
      'Conv2D + bias + ReLU',
    ]);
  });

  it('the ReLU gradient is one ReluGrad kernel here and gives what the reference gives', async () => {
    const values = [-2, -0.5, 0, 1e-9, 0.5, 3, -0, 7];
    const upstream = [1, 2, 3, 4, 5, 6, 7, 8];
    const gradient = () =>
      Array.from(
        tf
          .grad((x: tf.Tensor) => tf.relu(x).mul(tf.tensor1d(upstream)).sum())(tf.tensor1d(values))
          .dataSync(),
      );
    const { native, reference } = await onBoth(gradient);
    expect(native).toEqual([0, 0, 0, 4, 5, 6, 0, 8]);
    expect(native).toEqual(reference);
    const profile = await tf.profile(() => gradient());
    expect(profile.kernelNames).toContain(RELU_GRAD);
    expect(profile.kernelNames).not.toContain(tf.Step);
  });

  it("Step gives 0 for NaN, as TensorFlow's ReluGrad does", () => {
    expect(Array.from(tf.step(tf.tensor1d([NaN, -Infinity, Infinity])).dataSync())).toEqual([
      0, 0, 1,
    ]);
  });

  it.each([
    ['relu', 'valid'],
    ['relu', 'same'],
    ['linear', 'valid'],
  ] as const)(
    'FusedConv2D with bias and %s activation, %s padding, gives exactly Conv2D + Add + activation',
    (activation, pad) => {
      const [fused, separate] = tf.tidy(() => {
        const x = tf.randomNormal([3, 9, 8, 5], 0, 1, 'float32', 1) as tf.Tensor4D;
        const filter = tf.randomNormal([3, 3, 5, 6], 0, 1, 'float32', 2) as tf.Tensor4D;
        const bias = tf.randomNormal([6], 0, 1, 'float32', 3) as tf.Tensor1D;
        const conv = tf.conv2d(x, filter, 1, pad).add(bias);
        return [
          tf.fused.conv2d({ x, filter, strides: 1, pad, bias, activation }),
          activation === 'relu' ? tf.relu(conv) : conv,
        ].map((t) => Array.from(t.dataSync()));
      });
      expect(fused.some((v) => v === 0)).toBe(activation === 'relu');
      expect(fused).toEqual(separate);
    },
  );

  it('FusedConv2D with what the compiled kernel does not cover keeps the original kernel', () => {
    const x = tf.randomNormal([1, 5, 5, 2], 0, 1, 'float32', 4) as tf.Tensor4D;
    const filter = tf.randomNormal([3, 3, 2, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const bias = tf.scalar(0.5);
    const fused = tf.fused.conv2d({ x, filter, strides: 1, pad: 'valid', bias, activation: 'elu' });
    const separate = tf.elu(tf.conv2d(x, filter, 1, 'valid').add(bias));
    expect(Array.from(fused.dataSync())).toEqual(Array.from(separate.dataSync()));
  });

  it('Step with another alpha keeps the original kernel', async () => {
    const { native, reference } = await onBoth(() =>
      tf.step(tf.tensor1d([-1, 0, 2]), 0.25).arraySync(),
    );
    expect(native).toEqual(reference);
  });

  describe('MaxPoolGrad from the compiled kernel (libs/compute/native/max-pool-grad.cc)', () => {
    interface Native {
      binding: Record<string, number>;
      executeSingleOutput(name: string, attrs: unknown[], inputs: tf.Tensor[]): tf.Tensor;
    }

    /** TensorFlow's own MaxPoolGrad op, called the way tfjs-node's original kernel calls it. */
    function tensorflowMaxPoolGrad(
      x: tf.Tensor4D,
      filter: [number, number],
      strides: [number, number],
      pad: 'valid' | 'same',
    ): tf.Tensor {
      const backend = tf.backend() as unknown as Native;
      const { binding } = backend;
      const y = tf.maxPool(x, filter, strides, pad);
      const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 11);
      const mine = tf.engine().runKernel(tf.MaxPoolGrad, { dy, input: x, output: y }, {
        filterSize: filter,
        strides,
        pad,
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
      const theirs = backend.executeSingleOutput(
        'MaxPoolGrad',
        [
          { name: 'T', type: binding['TF_ATTR_TYPE'], value: 1 },
          { name: 'ksize', type: binding['TF_ATTR_INT'], value: [1, ...filter, 1] },
          { name: 'strides', type: binding['TF_ATTR_INT'], value: [1, ...strides, 1] },
          { name: 'padding', type: binding['TF_ATTR_STRING'], value: pad.toUpperCase() },
          { name: 'data_format', type: binding['TF_ATTR_STRING'], value: 'NHWC' },
        ],
        [x, y, dy],
      );
      return tf.stack([mine, theirs]);
    }

    it.each([
      // The default CNN's two pooling layers (the vectorised 2x2 path), one with an odd size.
      { shape: [4, 26, 26, 32], filter: [2, 2], strides: [2, 2], pad: 'valid' },
      { shape: [3, 11, 11, 64], filter: [2, 2], strides: [2, 2], pad: 'valid' },
      // Channels that are not a multiple of the vector width.
      { shape: [2, 6, 8, 7], filter: [2, 2], strides: [2, 2], pad: 'valid' },
      // The general path: padding, overlapping windows (gradients add up), uneven windows.
      { shape: [2, 9, 7, 5], filter: [3, 3], strides: [2, 2], pad: 'same' },
      { shape: [2, 8, 8, 6], filter: [3, 3], strides: [1, 1], pad: 'same' },
      { shape: [2, 7, 9, 3], filter: [2, 2], strides: [2, 2], pad: 'same' },
      { shape: [1, 6, 9, 4], filter: [2, 3], strides: [1, 2], pad: 'valid' },
    ] as const)(
      'gives exactly what TensorFlow gives for $shape, window $filter, strides $strides, $pad',
      ({ shape, filter, strides, pad }) => {
        const [mine, theirs] = tf.tidy(() => {
          // ReLU zeros and rounded values make ties, where only the first maximum may get dy.
          const noise = tf.randomNormal([...shape], 0, 2, 'float32', 7);
          const x = tf.relu(tf.round(noise)) as tf.Tensor4D;
          return tf
            .unstack(tensorflowMaxPoolGrad(x, [...filter], [...strides], pad))
            .map((t) => Array.from(t.dataSync()));
        });
        expect(mine.some((v) => v !== 0)).toBe(true);
        expect(mine).toEqual(theirs);
      },
    );

    it('is what the gradient of a max-pooling layer uses', () => {
      const x = tf.tensor4d([1, 5, 2, 0, 3, 3, 3, 3, 0, 0, 7, 1, 2, 9, 1, 1], [1, 4, 4, 1]);
      const grad = tf.grad((input: tf.Tensor) =>
        tf
          .maxPool(input as tf.Tensor4D, 2, 2, 'valid')
          .mul(tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]))
          .sum(),
      )(x);
      // 5 tops the top-left window, the first of the tied 3s the top-right one, then 9 and 7.
      expect(grad.reshape([4, 4]).arraySync()).toEqual([
        [0, 1, 0, 0],
        [0, 0, 2, 0],
        [0, 0, 4, 0],
        [0, 3, 0, 0],
      ]);
    });
  });
});
