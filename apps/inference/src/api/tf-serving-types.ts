/**
 * TensorFlow Serving's REST API (also KServe's v1 protocol), as in
 * https://www.tensorflow.org/tfx/serving/api_rest: the shapes this service answers with and accepts.
 */

export interface ModelVersionStatus {
  version: string;
  state: 'AVAILABLE' | 'LOADING';
  status: { error_code: string; error_message: string };
}

export interface ModelStatus {
  model_version_status: ModelVersionStatus[];
}

export interface TensorInfo {
  dtype: string;
  tensor_shape: { dim: { size: string; name: string }[]; unknown_rank: boolean };
  name: string;
}

export interface SignatureDef {
  inputs: Record<string, TensorInfo>;
  outputs: Record<string, TensorInfo>;
  method_name: string;
}

export interface ModelMetadataResponse {
  model_spec: { name: string; signature_name: string; version: string };
  metadata: { signature_def: { signature_def: Record<string, SignatureDef> } };
}

/** Either `instances` (the row format) or `inputs` (the columnar format). */
export interface PredictRequest {
  /** The only signature. */
  signature_name?: 'serving_default';
  /**
   * Row format: one element per image, each a 28x28 (or 28x28x1, or 784) array of pixels in
   * [0, 1], or `{"b64": "<base64 PNG or JPEG>"}`, or an object naming the input: `{"input": ...}`.
   * @minItems 1
   */
  instances?: unknown[];
  /** Columnar format: the whole batch as one tensor, or `{"input": <tensor>}`. */
  inputs?: unknown;
}

export interface PredictResponse {
  /** Row format: per image, its `probabilities` and `digit`. */
  predictions?: { probabilities: number[]; digit: number }[];
  /** Columnar format: every image's outputs, by output name. */
  outputs?: { probabilities: number[][]; digit: number[] };
}

/** Every error of TF Serving's routes has this shape. */
export interface TfServingError {
  error: string;
}
