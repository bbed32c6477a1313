import * as tf from '@tensorflow/tfjs';
import { activateBackend } from '@mnist-mlops/compute';
import { SMALL_CNN } from '../../test-support/small-cnn';
import { buildCnn } from '../architecture/cnn';
import type { InferenceEngine } from './inference-engine';
import { disagreement, selectEngine } from './select-engine';
import { tfjsEngine } from './tfjs-engine';

// wasm, as the service loads models (the cpu backend would also do, with a warning per file).
beforeAll(() => activateBackend('wasm'));

function pixels(count: number): Uint8Array {
  return Uint8Array.from({ length: count * 784 }, (_, i) => (i * 31) % 256);
}

describe('selectEngine', () => {
  it('serves on ONNX Runtime, with the answers of the tfjs engine', async () => {
    const model = buildCnn(SMALL_CNN);
    const { engine, fallbackReason } = await selectEngine('onnxruntime', model);
    try {
      expect(fallbackReason).toBeUndefined();
      expect(engine.name).toBe('onnxruntime');
      expect(engine.description).toMatch(/^onnxruntime \d+\.\d+\.\d+ \(CPU, 1 thread\)$/);
      const ours = await engine.run(pixels(4), 4);
      const tfjs = await tfjsEngine(model).run(pixels(4), 4);
      expect(ours.length).toBe(40);
      ours.forEach((p, i) => expect(p).toBeCloseTo(tfjs[i], 5));
    } finally {
      await engine.dispose();
    }
  });

  it('falls back to tfjs, naming the layer, when the model cannot be exported', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, name: 'odd' }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    const { engine, fallbackReason } = await selectEngine('onnxruntime', model);
    expect(engine.name).toBe('tfjs');
    expect(fallbackReason).toMatch(/cannot be exported: GlobalAveragePooling2D/);
    expect((await engine.run(pixels(2), 2)).length).toBe(20);
  });

  it('falls back to tfjs when onnxruntime-node cannot be loaded', async () => {
    const { engine, fallbackReason } = await selectEngine('onnxruntime', buildCnn(SMALL_CNN), {
      load: () => {
        throw new Error('libonnxruntime.so.1: cannot open shared object file\nRequire stack: ...');
      },
    });
    expect(engine.name).toBe('tfjs');
    expect(fallbackReason).toBe(
      'onnxruntime-node could not be loaded (libonnxruntime.so.1: cannot open shared object file)',
    );
  });

  it('serves on tfjs when asked to', async () => {
    const { engine, fallbackReason } = await selectEngine('tfjs', buildCnn(SMALL_CNN));
    expect(engine.name).toBe('tfjs');
    expect(engine.description).toMatch(/^tfjs \S+ on wasm$/);
    expect(fallbackReason).toBeUndefined();
  });
});

describe('disagreement', () => {
  it('is nothing for an engine that answers as model.predict, and names a difference', async () => {
    const model = buildCnn(SMALL_CNN);
    const right = tfjsEngine(model);
    expect(await disagreement(right, model)).toBeUndefined();
    const off: InferenceEngine = {
      ...right,
      run: async (p, count) => (await right.run(p, count)).map((v, i) => (i === 3 ? v + 1e-3 : v)),
    };
    expect(await disagreement(off, model)).toMatch(/differ from tfjs-layers' by up to 0\.00\d+/);
    const short: InferenceEngine = { ...right, run: async () => new Float32Array(3) };
    expect(await disagreement(short, model)).toBe('3 outputs for a batch of 1, expected 10');
  });
});
