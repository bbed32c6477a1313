import type * as tf from '@tensorflow/tfjs';
import type * as Ort from 'onnxruntime-node';
import { ONNX_INPUT, ONNX_OUTPUT, OnnxExportError, toOnnx } from '../export/onnx-export';
import { EngineUnavailableError, type InferenceEngine } from './inference-engine';

export interface OnnxRuntimeOptions {
  /** Loads onnxruntime-node; replaceable so a platform without it can be tried. */
  load?: () => typeof Ort;
}

/** Loaded on first use: a platform without its native build still serves on tfjs. */
function loadRuntime(load: () => typeof Ort): typeof Ort {
  try {
    return load();
  } catch (error) {
    throw new EngineUnavailableError(
      'onnxruntime',
      `onnxruntime-node could not be loaded (${String((error as Error).message).split('\n')[0]})`,
    );
  }
}

/**
 * The model exported to ONNX and run by ONNX Runtime's CPU kernels (MLAS: AVX2/AVX-512 on x86,
 * NEON on ARM). One intra-op thread: the service runs one worker process per core, and a
 * second thread per worker would only contend with the other workers.
 */
export async function onnxRuntimeEngine(
  model: tf.LayersModel,
  { load = () => require('onnxruntime-node') as typeof Ort }: OnnxRuntimeOptions = {},
): Promise<InferenceEngine> {
  const ort = loadRuntime(load);
  let bytes: Uint8Array;
  try {
    bytes = toOnnx(model);
  } catch (error) {
    if (error instanceof OnnxExportError)
      throw new EngineUnavailableError(
        'onnxruntime',
        `the model cannot be exported: ${error.message}`,
      );
    throw error;
  }
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
  });
  const [, height, width, channels] = model.inputs[0].shape as number[];
  const size = height * width * channels;
  return {
    name: 'onnxruntime',
    description: `onnxruntime ${ort.env.versions.common} (CPU, 1 thread)`,
    run: async (pixels, count) => {
      const input = new Float32Array(count * size);
      for (let i = 0; i < input.length; i++) input[i] = pixels[i] / 255;
      const feeds = {
        [ONNX_INPUT]: new ort.Tensor('float32', input, [count, height, width, channels]),
      };
      const output = (await session.run(feeds))[ONNX_OUTPUT];
      return output.data as Float32Array;
    },
    dispose: () => session.release(),
  };
}
