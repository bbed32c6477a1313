/** The runtimes a served model can answer on; `onnxruntime` falls back to `tfjs` when unusable. */
export const INFERENCE_ENGINES = ['onnxruntime', 'tfjs'] as const;
export type InferenceEngineName = (typeof INFERENCE_ENGINES)[number];

/**
 * A loaded model's forward pass, as a serving runtime runs it: 28x28 images (784 bytes each,
 * white ink on black) in, class probabilities out.
 */
export interface InferenceEngine {
  readonly name: InferenceEngineName;
  /** What runs it, for logs and GET /model: runtime, version, device, threads. */
  readonly description: string;
  /** `count * classes` probabilities, image after image. */
  run(pixels: Uint8Array, count: number): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** The engine could not be created for this model (missing runtime, unsupported layer). */
export class EngineUnavailableError extends Error {
  constructor(
    readonly engine: InferenceEngineName,
    message: string,
  ) {
    super(message);
    this.name = 'EngineUnavailableError';
  }
}
