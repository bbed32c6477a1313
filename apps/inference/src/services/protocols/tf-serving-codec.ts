import type {
  ModelMetadataResponse,
  PredictRequest,
  PredictResponse,
  TensorInfo,
} from '../../api/tf-serving-types';
import { INPUT_NAME, modelTensors } from './open-inference-codec';
import {
  flatten,
  imageCount,
  pictureFromBase64,
  pixelsFromNumbers,
  TensorInputError,
  type ModelInput,
} from './tensor-data';

export const SIGNATURE_NAME = 'serving_default';

function tensorInfo(dtype: string, dims: number[], name: string): TensorInfo {
  return {
    dtype,
    tensor_shape: {
      dim: dims.map((size) => ({ size: String(size), name: '' })),
      unknown_rank: false,
    },
    name,
  };
}

const DTYPES: Record<string, string> = { FP32: 'DT_FLOAT', INT64: 'DT_INT64' };

/** The served model's signature as TF Serving's metadata call describes a SavedModel's. */
export function tfServingMetadata(
  name: string,
  version: string,
  model: Parameters<typeof modelTensors>[0],
): ModelMetadataResponse {
  const { inputs, outputs } = modelTensors(model);
  const infos = (tensors: typeof inputs, prefix: (i: number) => string) =>
    Object.fromEntries(
      tensors.map((t, i) => [t.name, tensorInfo(DTYPES[t.datatype], t.shape, prefix(i))]),
    );
  return {
    model_spec: { name, signature_name: '', version },
    metadata: {
      signature_def: {
        signature_def: {
          [SIGNATURE_NAME]: {
            inputs: infos(inputs, () => `${SIGNATURE_NAME}_${INPUT_NAME}:0`),
            outputs: infos(outputs, (i) => `StatefulPartitionedCall:${i}`),
            method_name: 'tensorflow/serving/predict',
          },
        },
      },
    },
  };
}

/** `name:predict` (or `version:predict`) split at its last colon. */
export function splitVerb(target: string): { subject: string; verb: string } {
  const colon = target.lastIndexOf(':');
  return colon < 0
    ? { subject: target, verb: '' }
    : { subject: target.slice(0, colon), verb: target.slice(colon + 1) };
}

const isPicture = (value: unknown): value is { b64: unknown } =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && 'b64' in value;

/** `{"input": x}` is x; other names are refused. */
function unnamed(value: unknown, what: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isPicture(value))
    return value;
  const names = Object.keys(value);
  if (names.length !== 1 || names[0] !== INPUT_NAME)
    throw new TensorInputError(
      `${what} names ${names.map((n) => JSON.stringify(n)).join(', ') || 'no input'}; this model's input is "${INPUT_NAME}"`,
    );
  return (value as Record<string, unknown>)[INPUT_NAME];
}

/** A predict request's images, from the row (`instances`) or the columnar (`inputs`) format. */
export function decodePredictRequest(request: PredictRequest): {
  input: ModelInput;
  columnar: boolean;
} {
  if (request.signature_name !== undefined && request.signature_name !== SIGNATURE_NAME)
    throw new TensorInputError(
      `unknown signature_name ${JSON.stringify(request.signature_name)}; the model has one, "${SIGNATURE_NAME}"`,
    );
  const hasInstances = request.instances !== undefined;
  if (hasInstances === (request.inputs !== undefined))
    throw new TensorInputError(
      'send either "instances" (row format) or "inputs" (columnar format)',
    );
  const rows = hasInstances
    ? (request.instances ?? []).map((instance, i) => unnamed(instance, `instance ${i}`))
    : unnamed(request.inputs, 'inputs');
  if (!Array.isArray(rows) || rows.length === 0)
    throw new TensorInputError(
      `${hasInstances ? '"instances"' : '"inputs"'} must be a non-empty list, one element per image`,
    );
  const pictures = rows.filter(isPicture);
  if (pictures.length === rows.length)
    return {
      input: {
        kind: 'pictures',
        pictures: pictures.map((p, i) => pictureFromBase64(p.b64, `image ${i}`)),
      },
      columnar: !hasInstances,
    };
  if (pictures.length)
    throw new TensorInputError(
      'send every image as pixels or every image as {"b64": ...}, not both',
    );
  const what = hasInstances ? '"instances"' : '"inputs"';
  const values = flatten(rows, what);
  const count = imageCount(shapeOf(rows), what);
  return {
    input: { kind: 'pixels', images: pixelsFromNumbers(values, 'FP32', count, what) },
    columnar: !hasInstances,
  };
}

/** The shape of nested lists, read along their first elements (the element count is checked later). */
function shapeOf(value: unknown): number[] {
  const shape: number[] = [];
  for (let level = value; Array.isArray(level); level = level[0]) shape.push(level.length);
  return shape;
}

export function encodePredictResponse(
  answers: { probabilities: Float32Array[]; digits: number[] },
  columnar: boolean,
): PredictResponse {
  const probabilities = answers.probabilities.map((row) => Array.from(row));
  return columnar
    ? { outputs: { probabilities, digit: answers.digits } }
    : {
        predictions: probabilities.map((row, i) => ({
          probabilities: row,
          digit: answers.digits[i],
        })),
      };
}
