import { IMAGE_SIZE } from '@mnist-mlops/model';

const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** What a protocol request asks the model about: ready 28x28 images, or pictures to prepare. */
export type ModelInput =
  { kind: 'pixels'; images: Uint8Array[] } | { kind: 'pictures'; pictures: Buffer[] };

/** A tensor that does not fit the model; the protocol routes answer it 400 with this message. */
export class TensorInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TensorInputError';
  }
}

/**
 * Images in a pixel tensor of this shape: [N, 28, 28], [N, 28, 28, 1] or [N, 784], as a numpy
 * user holds MNIST (`x_test[:n]`, with or without the channel, or flattened).
 */
export function imageCount(shape: unknown, what: string): number {
  const dims = Array.isArray(shape) ? shape : [];
  const valid =
    dims.length >= 2 &&
    dims.every((d) => Number.isInteger(d) && d >= 0) &&
    ((dims.length === 2 && dims[1] === PIXELS) ||
      (dims.length === 3 && dims[1] === IMAGE_SIZE && dims[2] === IMAGE_SIZE) ||
      (dims.length === 4 && dims[1] === IMAGE_SIZE && dims[2] === IMAGE_SIZE && dims[3] === 1));
  if (!valid)
    throw new TensorInputError(
      `${what} has shape ${JSON.stringify(shape)}; expected [N, ${IMAGE_SIZE}, ${IMAGE_SIZE}], [N, ${IMAGE_SIZE}, ${IMAGE_SIZE}, 1] or [N, ${PIXELS}]`,
    );
  return dims[0] as number;
}

/** Nested arrays in row-major order, flattened; anything else in them is refused. */
export function flatten(data: unknown, what: string): unknown[] {
  if (!Array.isArray(data)) throw new TensorInputError(`${what}: data must be an array`);
  if (!data.some(Array.isArray)) return data;
  const flat: unknown[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) walk(item);
    else flat.push(value);
  };
  walk(data);
  return flat;
}

/**
 * Numbers to 28x28 images of bytes. Floats are MNIST pixels / 255 (as a model trained in Keras
 * or PyTorch takes them), so they must lie in [0, 1]; integers (UINT8) in 0-255. A float x is the
 * byte round(255 x): what `x_test / 255` was made from comes back exactly.
 */
export function pixelsFromNumbers(
  values: ArrayLike<unknown>,
  datatype: 'FP32' | 'FP64' | 'UINT8',
  count: number,
  what: string,
): Uint8Array[] {
  if (values.length !== count * PIXELS)
    throw new TensorInputError(
      `${what} holds ${values.length} elements; its shape needs ${count * PIXELS} (${count} x ${PIXELS})`,
    );
  const scale = datatype === 'UINT8' ? 1 : 255;
  const max = datatype === 'UINT8' ? 255 : 1;
  const images: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const image = new Uint8Array(PIXELS);
    for (let p = 0; p < PIXELS; p++) {
      const value = values[i * PIXELS + p];
      if (
        typeof value !== 'number' ||
        !(value >= 0 && value <= max) ||
        (datatype === 'UINT8' && !Number.isInteger(value))
      )
        throw new TensorInputError(
          `${what}: element ${i * PIXELS + p} is ${JSON.stringify(value)}; ${
            datatype === 'UINT8'
              ? 'UINT8 pixels are integers 0-255'
              : `${datatype} pixels lie in [0, 1] (MNIST pixels / 255); send UINT8 for 0-255`
          }`,
        );
      image[p] = Math.round(value * scale);
    }
    images.push(image);
  }
  return images;
}

/** A binary tensor's bytes (little-endian, as numpy's `tobytes()` writes them) as numbers. */
export function numbersFromBinary(
  bytes: Buffer,
  datatype: 'FP32' | 'FP64' | 'UINT8',
  what: string,
): ArrayLike<number> {
  const width = datatype === 'FP64' ? 8 : datatype === 'FP32' ? 4 : 1;
  if (bytes.length % width)
    throw new TensorInputError(
      `${what}: ${bytes.length} bytes of binary data is not a whole number of ${datatype} elements`,
    );
  // Copied to an aligned buffer: a view at an odd offset of the request body is not allowed.
  const aligned = new Uint8Array(bytes).buffer;
  if (datatype === 'UINT8') return new Uint8Array(aligned);
  return datatype === 'FP32' ? new Float32Array(aligned) : new Float64Array(aligned);
}

/** A binary BYTES tensor: each element a 4-byte little-endian length, then its bytes. */
export function bytesElements(bytes: Buffer, what: string): Buffer[] {
  const elements: Buffer[] = [];
  for (let offset = 0; offset < bytes.length;) {
    if (offset + 4 > bytes.length)
      throw new TensorInputError(`${what}: BYTES data ends inside an element's length`);
    const length = bytes.readUInt32LE(offset);
    offset += 4;
    if (offset + length > bytes.length)
      throw new TensorInputError(
        `${what}: a BYTES element of ${length} bytes runs past the end of the data`,
      );
    elements.push(bytes.subarray(offset, offset + length));
    offset += length;
  }
  return elements;
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * A picture sent as text: base64 (or base64url) of a PNG or JPEG, with or without a `data:` URL
 * prefix, as a browser's FileReader or Python's base64.b64encode makes it.
 */
export function pictureFromBase64(value: unknown, what: string): Buffer {
  if (typeof value !== 'string')
    throw new TensorInputError(`${what}: a picture must be a base64 string`);
  const text = value.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  if (!text || !BASE64.test(text))
    throw new TensorInputError(`${what}: a picture must be a non-empty base64 string`);
  return Buffer.from(text, 'base64');
}

/** A binary BYTES element is the picture itself, or its base64 text when that is what was sent. */
export function pictureFromElement(element: Buffer, what: string): Buffer {
  const isPng = element[0] === 0x89 && element[1] === 0x50;
  const isJpeg = element[0] === 0xff && element[1] === 0xd8;
  if (isPng || isJpeg) return element;
  // Neither an image nor base64: the decoder names what it is not.
  try {
    return pictureFromBase64(element.toString('latin1').trim(), what);
  } catch {
    return element;
  }
}
