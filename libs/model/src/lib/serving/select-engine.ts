import type * as tf from '@tensorflow/tfjs';
import {
  EngineUnavailableError,
  type InferenceEngine,
  type InferenceEngineName,
} from './inference-engine';
import { onnxRuntimeEngine, type OnnxRuntimeOptions } from './onnx-runtime-engine';
import { layersPredict, tfjsEngine } from './tfjs-engine';

/** Largest difference from tfjs-layers' own probabilities an engine may show. */
export const ENGINE_TOLERANCE = 1e-5;

/** The warm-up batches: one image, a batch, one image again (kernels set up for both sizes). */
const WARM_UP_BATCHES = [1, 8, 1];

export interface SelectedEngine {
  engine: InferenceEngine;
  /** Why the engine asked for was not the one chosen (it fell back to tfjs). */
  fallbackReason?: string;
}

/** The same pseudo-random pixels every time: a failed check can be run again. */
function warmUpPixels(count: number, size: number, seed: number): Uint8Array {
  const pixels = new Uint8Array(count * size);
  let state = seed;
  for (let i = 0; i < pixels.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    pixels[i] = state >>> 24;
  }
  return pixels;
}

/**
 * Runs the warm-up batches on the engine and returns why its answers differ from tfjs-layers'
 * `model.predict`, or undefined when they agree (and the engine is warm).
 */
export async function disagreement(
  engine: InferenceEngine,
  model: tf.LayersModel,
): Promise<string | undefined> {
  const [, height, width, channels] = model.inputs[0].shape as number[];
  const reference = layersPredict(model);
  for (const [index, count] of WARM_UP_BATCHES.entries()) {
    const pixels = warmUpPixels(count, height * width * channels, index + 1);
    const expected = await reference.run(pixels, count);
    if (expected.some((v) => !Number.isFinite(v)))
      throw new Error('warm-up produced non-finite outputs');
    const actual = await engine.run(pixels, count);
    if (actual.length !== expected.length)
      return `${actual.length} outputs for a batch of ${count}, expected ${expected.length}`;
    let worst = 0;
    for (let i = 0; i < expected.length; i++)
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    if (!(worst <= ENGINE_TOLERANCE))
      return `its probabilities differ from tfjs-layers' by up to ${worst} on a batch of ${count}`;
  }
  return undefined;
}

/**
 * The engine to serve a model on, warmed up and checked: its answers on the warm-up batches must
 * be tfjs-layers' own. ONNX Runtime falls back to tfjs when it cannot load, cannot take the model
 * or disagrees; the tfjs plan falls back to `model.predict` when it disagrees.
 */
export async function selectEngine(
  preferred: InferenceEngineName,
  model: tf.LayersModel,
  onnxRuntime: OnnxRuntimeOptions = {},
): Promise<SelectedEngine> {
  let fallbackReason: string | undefined;
  if (preferred === 'onnxruntime') {
    let engine: InferenceEngine | undefined;
    try {
      engine = await onnxRuntimeEngine(model, onnxRuntime);
      const differs = await disagreement(engine, model);
      if (!differs) return { engine };
      fallbackReason = `ONNX Runtime disagrees with tfjs: ${differs}`;
    } catch (error) {
      // EngineUnavailableError names what is missing; anything else is ONNX Runtime's own error.
      fallbackReason =
        error instanceof EngineUnavailableError
          ? error.message
          : `ONNX Runtime failed: ${(error as Error).message}`;
    }
    await engine?.dispose();
  }
  // Checking the plan ran `predict` on every warm-up batch: the reference is warm either way.
  const plan = tfjsEngine(model);
  if (!(await disagreement(plan, model))) return { engine: plan, fallbackReason };
  return { engine: layersPredict(model), fallbackReason };
}
