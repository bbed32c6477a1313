import { NUM_CLASSES } from '@mnist-mlops/data';
import type {
  InferenceRequest,
  InferenceResponse,
  ModelMetadata,
  RequestInput,
  ResponseOutput,
  TensorMetadata,
} from '../../api/open-inference-types';
import {
  bytesElements,
  flatten,
  imageCount,
  numbersFromBinary,
  pictureFromBase64,
  pictureFromElement,
  pixelsFromNumbers,
  TensorInputError,
  type ModelInput,
} from './tensor-data';

/** The model's one input, as its signature names it. */
export const INPUT_NAME = 'input';
export const OUTPUT_NAMES = ['probabilities', 'digit'] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];

/** A layers model's shape with its open dimensions (null: the batch) as the protocol's -1. */
const protocolShape = (shape: readonly (number | null)[]) => shape.map((d) => d ?? -1);

/**
 * The served model's signature in the protocol's terms, read from the loaded model itself: its
 * input (the probabilities' width from its output); `digit` is the argmax the service adds.
 */
export function modelTensors(model: {
  inputs: { shape: readonly (number | null)[] }[];
  outputs: { shape: readonly (number | null)[] }[];
}): { inputs: TensorMetadata[]; outputs: TensorMetadata[] } {
  const output = protocolShape(model.outputs[0].shape);
  return {
    inputs: [{ name: INPUT_NAME, datatype: 'FP32', shape: protocolShape(model.inputs[0].shape) }],
    outputs: [
      { name: 'probabilities', datatype: 'FP32', shape: output },
      { name: 'digit', datatype: 'INT64', shape: output.slice(0, 1) },
    ],
  };
}

export function modelMetadata(
  name: string,
  version: string,
  model: Parameters<typeof modelTensors>[0],
): ModelMetadata {
  return { name, versions: [version], platform: 'tensorflowjs_layers', ...modelTensors(model) };
}

export interface RequestedOutput {
  name: OutputName;
  binary: boolean;
}

export interface DecodedRequest {
  input: ModelInput;
  outputs: RequestedOutput[];
}

/**
 * An inference request (its JSON header, and the bytes after it when the binary tensor extension
 * is used) as the model input it names and the outputs it wants.
 */
export function decodeInferenceRequest(
  request: InferenceRequest,
  binary: Buffer | undefined,
): DecodedRequest {
  const inputs = request.inputs;
  if (inputs.length !== 1)
    throw new TensorInputError(
      `the request has ${inputs.length} inputs; this model takes one, named "${INPUT_NAME}"`,
    );
  let offset = 0;
  const take = (input: RequestInput): Buffer | undefined => {
    const size = input.parameters?.['binary_data_size'];
    if (size === undefined) return undefined;
    if (!Number.isInteger(size) || (size as number) < 0)
      throw new TensorInputError(
        `input "${input.name}": binary_data_size must be a whole number of bytes`,
      );
    const end = offset + (size as number);
    if (!binary || end > binary.length)
      throw new TensorInputError(
        `input "${input.name}": binary_data_size is ${size} but the request holds ${(binary?.length ?? 0) - offset} bytes of binary data after its JSON header`,
      );
    const bytes = binary.subarray(offset, end);
    offset = end;
    return bytes;
  };
  const input = inputs[0];
  const bytes = take(input);
  if ((binary?.length ?? 0) !== offset)
    throw new TensorInputError(
      `the request holds ${binary?.length ?? 0} bytes of binary data, but its inputs' binary_data_size add up to ${offset}`,
    );
  return { input: decodeInput(input, bytes), outputs: requestedOutputs(request) };
}

function decodeInput(input: RequestInput, binary: Buffer | undefined): ModelInput {
  const what = `input "${input.name}"`;
  if (input.name !== INPUT_NAME)
    throw new TensorInputError(
      `unexpected input "${input.name}"; this model's input is "${INPUT_NAME}"`,
    );
  if (binary === undefined && input.data === undefined)
    throw new TensorInputError(`${what} has neither data nor binary_data_size`);
  if (binary !== undefined && input.data !== undefined)
    throw new TensorInputError(`${what} has both data and binary_data_size; send one`);
  const { datatype } = input;
  if (datatype === 'BYTES') {
    const count = pictureCount(input.shape, what);
    const pictures =
      binary !== undefined
        ? bytesElements(binary, what).map((element) => pictureFromElement(element, what))
        : flatten(input.data, what).map((value) => pictureFromBase64(value, what));
    if (pictures.length !== count)
      throw new TensorInputError(
        `${what} holds ${pictures.length} pictures; its shape says ${count}`,
      );
    return { kind: 'pictures', pictures };
  }
  if (datatype !== 'FP32' && datatype !== 'FP64' && datatype !== 'UINT8')
    throw new TensorInputError(
      `${what} has datatype ${JSON.stringify(datatype)}; send FP32 or UINT8 pixels, or BYTES pictures (PNG or JPEG)`,
    );
  const count = imageCount(input.shape, what);
  const values =
    binary !== undefined ? numbersFromBinary(binary, datatype, what) : flatten(input.data, what);
  return { kind: 'pixels', images: pixelsFromNumbers(values, datatype, count, what) };
}

/** BYTES pictures come as a vector [N] (or [N, 1], as a column of a dataframe). */
function pictureCount(shape: unknown, what: string): number {
  const dims = Array.isArray(shape) ? shape : [];
  const valid =
    (dims.length === 1 || (dims.length === 2 && dims[1] === 1)) &&
    Number.isInteger(dims[0]) &&
    dims[0] >= 1;
  if (!valid)
    throw new TensorInputError(
      `${what} has shape ${JSON.stringify(shape)}; BYTES pictures are shaped [N] or [N, 1]`,
    );
  return dims[0] as number;
}

/** The outputs asked for (all when none are named) and whether each is wanted in binary. */
function requestedOutputs(request: InferenceRequest): RequestedOutput[] {
  const allBinary = request.parameters?.['binary_data_output'] === true;
  if (!request.outputs?.length) return OUTPUT_NAMES.map((name) => ({ name, binary: allBinary }));
  return request.outputs.map((output) => {
    if (!(OUTPUT_NAMES as readonly string[]).includes(output.name))
      throw new TensorInputError(
        `unknown output "${output.name}"; this model's outputs are ${OUTPUT_NAMES.map((n) => `"${n}"`).join(' and ')}`,
      );
    const binary = output.parameters?.['binary_data'];
    return {
      name: output.name as OutputName,
      binary: binary === undefined ? allBinary : binary === true,
    };
  });
}

export interface EncodedResponse {
  json: InferenceResponse;
  /** The outputs asked for in binary, in order, to follow the JSON header. */
  binary?: Buffer;
}

/** The model's answers as the protocol's response, with binary outputs where asked. */
export function encodeInferenceResponse(
  answers: { probabilities: Float32Array[]; digits: number[] },
  model: { name: string; version: string },
  id: string | undefined,
  outputs: RequestedOutput[],
): EncodedResponse {
  const count = answers.digits.length;
  const chunks: Buffer[] = [];
  const encoded = outputs.map(({ name, binary }): ResponseOutput => {
    const shape = name === 'probabilities' ? [count, NUM_CLASSES] : [count];
    const datatype = name === 'probabilities' ? 'FP32' : 'INT64';
    if (!binary) {
      const data =
        name === 'probabilities'
          ? answers.probabilities.flatMap((row) => Array.from(row))
          : answers.digits;
      return { name, datatype, shape, data };
    }
    const bytes =
      name === 'probabilities'
        ? Buffer.concat(
            answers.probabilities.map((row) =>
              Buffer.from(row.buffer, row.byteOffset, row.byteLength),
            ),
          )
        : Buffer.from(BigInt64Array.from(answers.digits, BigInt).buffer);
    chunks.push(bytes);
    return { name, datatype, shape, parameters: { binary_data_size: bytes.length } };
  });
  return {
    json: {
      model_name: model.name,
      model_version: model.version,
      ...(id !== undefined ? { id } : {}),
      outputs: encoded,
    },
    ...(chunks.length ? { binary: Buffer.concat(chunks) } : {}),
  };
}
