/**
 * The Open Inference Protocol (KServe v2, as Triton, MLServer and Seldon speak it) over REST:
 * the shapes of https://kserve.github.io/website/docs/concepts/architecture/data-plane/v2-protocol
 * that this service answers with and accepts.
 */

/** Datatypes of the protocol that this model's tensors use or accept. */
export type TensorDatatype = 'FP32' | 'FP64' | 'UINT8' | 'INT64' | 'BYTES';

/** Free-form request or tensor parameters, e.g. `binary_data_size`, `binary_data_output`. */
export interface InferenceParameters {
  [name: string]: string | number | boolean;
}

export interface ServerMetadata {
  name: string;
  version: string;
  /** Protocol extensions spoken, e.g. `binary_tensor_data`. */
  extensions: string[];
}

export interface ServerLive {
  live: boolean;
}

export interface ServerReady {
  ready: boolean;
}

export interface ModelReady {
  name: string;
  ready: boolean;
}

/** A dimension of a tensor's shape. @isInt */
export type Dimension = number;

export interface TensorMetadata {
  name: string;
  datatype: TensorDatatype;
  /** -1 for a dimension of any size (the batch). */
  shape: Dimension[];
  parameters?: InferenceParameters;
}

export interface ModelMetadata {
  name: string;
  /** The version served (one at a time). */
  versions: string[];
  platform: string;
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
}

export interface RequestInput {
  /** The model's only input. */
  name: 'input';
  /**
   * `[N, 28, 28]`, `[N, 28, 28, 1]` or `[N, 784]` for pixels; `[N]` for BYTES pictures.
   * @minItems 1
   * @maxItems 4
   */
  shape: Dimension[];
  /**
   * `FP32` (or `FP64`) pixels in [0, 1] or `UINT8` pixels in 0-255, white ink on black, already
   * MNIST-style; or `BYTES`: encoded PNG or JPEG pictures, prepared as `POST /predict` prepares them.
   */
  datatype: 'FP32' | 'FP64' | 'UINT8' | 'BYTES';
  /** `binary_data_size` when the elements follow the JSON header (binary tensor extension). */
  parameters?: InferenceParameters;
  /**
   * The elements in row-major order, flat or nested: numbers, or for `BYTES` base64 strings of
   * the encoded pictures. Absent when the data is binary.
   */
  data?: unknown;
}

export interface RequestOutput {
  name: 'probabilities' | 'digit';
  /** `binary_data: true` asks for this output after the JSON header. */
  parameters?: InferenceParameters;
}

export interface InferenceRequest {
  /** Echoed in the response. */
  id?: string;
  /** Sent by some clients (KServe's); must name the model of the route when present. */
  model_name?: string;
  model_version?: string;
  /** `binary_data_output: true` asks for every output in binary. */
  parameters?: InferenceParameters;
  /**
   * The model's one input.
   * @minItems 1
   * @maxItems 1
   */
  inputs: RequestInput[];
  /**
   * The outputs wanted; all of them when absent.
   * @maxItems 2
   */
  outputs?: RequestOutput[];
}

export interface ResponseOutput {
  name: string;
  shape: Dimension[];
  datatype: TensorDatatype;
  /** `binary_data_size` when the elements follow the JSON header. */
  parameters?: InferenceParameters;
  /** Row-major, flat; absent when binary. */
  data?: number[];
}

export interface InferenceResponse {
  model_name: string;
  model_version: string;
  id?: string;
  outputs: ResponseOutput[];
}

/** Every error of the protocol's routes has this shape, as the protocol defines it. */
export interface InferenceError {
  error: string;
}
