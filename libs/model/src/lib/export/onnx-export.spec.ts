import * as tf from '@tensorflow/tfjs';
import { activateBackend } from '@mnist-mlops/compute';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { randomiseWeights, SMALL_CNN } from '../../test-support/small-cnn';
import { buildCnn } from '../architecture/cnn';
import { ONNX_INPUT, ONNX_OUTPUT, OnnxExportError, toOnnx } from './onnx-export';

// wasm, as the service loads models (the cpu backend would also do, with a warning per file).
beforeAll(() => activateBackend('wasm'));

/** The largest difference between ONNX Runtime's answers on the export and model.predict's. */
async function worstDifference(model: tf.LayersModel, batch: number): Promise<number> {
  const shape = [batch, ...(model.inputs[0].shape.slice(1) as number[])];
  const x = tf.randomUniform(shape, 0, 1, 'float32', batch);
  const expected = (model.predict(x) as tf.Tensor).dataSync();
  const session = await ort.InferenceSession.create(toOnnx(model));
  try {
    const feeds = { [ONNX_INPUT]: new ort.Tensor('float32', x.dataSync() as Float32Array, shape) };
    const actual = (await session.run(feeds))[ONNX_OUTPUT];
    expect(actual.dims).toEqual([batch, expected.length / batch]);
    const data = actual.data as Float32Array;
    return Math.max(...Array.from(expected, (v, i) => Math.abs(v - data[i])));
  } finally {
    await session.release();
  }
}

describe('ONNX export', () => {
  it('gives the default CNN, run by ONNX Runtime, the answers of model.predict', async () => {
    const model = randomiseWeights(buildCnn(SMALL_CNN));
    expect(await worstDifference(model, 1)).toBeLessThan(1e-5);
    expect(await worstDifference(model, 5)).toBeLessThan(1e-5);
  });

  it('exports batch normalisation and a model without the hidden layer', async () => {
    const model = randomiseWeights(buildCnn({ ...SMALL_CNN, batchNorm: true, denseUnits: 0 }));
    expect(await worstDifference(model, 3)).toBeLessThan(1e-5);
  });

  it('keeps same padding, strides, several input channels and the flatten order', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [13, 11, 2],
          filters: 3,
          kernelSize: [3, 2],
          strides: 2,
          padding: 'same',
          activation: 'relu',
        }),
        tf.layers.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 4, activation: 'softmax' }),
      ],
    });
    expect(await worstDifference(randomiseWeights(model), 2)).toBeLessThan(1e-5);
  });

  it('writes an opset 17 graph with named input and output and a dynamic batch', () => {
    const decoded = onnx.ModelProto.decode(toOnnx(buildCnn(SMALL_CNN)));
    expect(Number(decoded.opsetImport[0].version)).toBe(17);
    const dims = (info: onnx.IValueInfoProto) =>
      info.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue));
    expect(decoded.graph?.input?.map((i) => [i.name, dims(i)])).toEqual([
      [ONNX_INPUT, ['batch', 28, 28, 1]],
    ]);
    expect(decoded.graph?.output?.map((o) => [o.name, dims(o)])).toEqual([
      [ONNX_OUTPUT, ['batch', 10]],
    ]);
    expect(decoded.graph?.node?.map((n) => n.opType)).toEqual([
      'Transpose',
      'Conv',
      'Relu',
      'MaxPool',
      'Conv',
      'Relu',
      'MaxPool',
      'Transpose',
      'Flatten',
      'Gemm',
      'Relu',
      'Gemm',
      'Softmax',
    ]);
  });

  it('names the layer it cannot export', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, name: 'c1' }),
        tf.layers.globalAveragePooling2d({ name: 'gap' }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    expect(() => toOnnx(model)).toThrow(OnnxExportError);
    expect(() => toOnnx(model)).toThrow('GlobalAveragePooling2D "gap"');
    const elu = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [28, 28, 1],
          filters: 4,
          kernelSize: 3,
          activation: 'elu',
          name: 'c2',
        }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    expect(() => toOnnx(elu)).toThrow('Conv2D "c2": activation "elu" is not exported');
  });
});
