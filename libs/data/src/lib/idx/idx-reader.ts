import { gunzipSync } from 'node:zlib';

/**
 * Reader for the IDX format MNIST is published in (http://yann.lecun.com/exdb/mnist/):
 * two zero bytes, a type byte, a dimension count, that many big-endian uint32 sizes, then the
 * values in row-major order, big-endian.
 */

export type IdxDataType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export type IdxData =
  Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  type: IdxDataType;
  dims: number[];
  data: IdxData;
}

const TYPES: Record<number, { type: IdxDataType; bytes: number }> = {
  0x08: { type: 'uint8', bytes: 1 },
  0x09: { type: 'int8', bytes: 1 },
  0x0b: { type: 'int16', bytes: 2 },
  0x0c: { type: 'int32', bytes: 4 },
  0x0d: { type: 'float32', bytes: 4 },
  0x0e: { type: 'float64', bytes: 8 },
};

/** The file is not a well-formed IDX file; the message says what is wrong and where. */
export class IdxFormatError extends Error {
  constructor(
    readonly source: string,
    problem: string,
  ) {
    super(`${source}: ${problem}`);
    this.name = 'IdxFormatError';
  }
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Parses an IDX file, gunzipping it first when it starts with the gzip magic bytes. */
export function parseIdx(input: Uint8Array, source = 'IDX data'): IdxArray {
  let bytes = input;
  if (input.length >= 2 && input[0] === GZIP_MAGIC[0] && input[1] === GZIP_MAGIC[1]) {
    try {
      bytes = gunzipSync(input);
    } catch (error) {
      throw new IdxFormatError(source, `corrupt gzip data (${(error as Error).message})`);
    }
  }
  if (bytes.length < 4) {
    throw new IdxFormatError(source, `too short to be an IDX file (${bytes.length} bytes)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new IdxFormatError(
      source,
      `not an IDX file (magic bytes ${magic}, expected 00 00 <type> <dims>)`,
    );
  }
  const typeInfo = TYPES[bytes[2]];
  if (!typeInfo) {
    throw new IdxFormatError(
      source,
      `unknown IDX data type 0x${bytes[2].toString(16).padStart(2, '0')}`,
    );
  }
  const rank = bytes[3];
  if (rank === 0) throw new IdxFormatError(source, 'IDX header declares zero dimensions');
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new IdxFormatError(
      source,
      `truncated header: ${rank} dimensions need ${headerBytes} bytes, found ${bytes.length}`,
    );
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * typeInfo.bytes;
  if (bytes.length !== expected) {
    const shape = dims.join('x');
    const problem =
      bytes.length < expected
        ? `truncated: header says ${shape} ${typeInfo.type} values (${expected} bytes), file has ${bytes.length} bytes`
        : `${bytes.length - expected} unexpected bytes after the ${shape} ${typeInfo.type} values`;
    throw new IdxFormatError(source, problem);
  }
  return {
    type: typeInfo.type,
    dims,
    data: readValues(view, headerBytes, count, typeInfo.type, bytes),
  };
}

function readValues(
  view: DataView,
  offset: number,
  count: number,
  type: IdxDataType,
  bytes: Uint8Array,
): IdxData {
  switch (type) {
    case 'uint8':
      // A copy, so the result does not keep a large decompressed buffer alive through a view
      // (a Buffer's own slice() is a view, of Node's shared pool for small ones: copy explicitly).
      return Uint8Array.from(bytes.subarray(offset, offset + count));
    case 'int8':
      return Int8Array.from(bytes.subarray(offset, offset + count), (b) => (b << 24) >> 24);
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/** Writes an IDX file; used to make test fixtures and to export data in MNIST's own format. */
export function encodeIdx(array: IdxArray): Uint8Array {
  const code = Number(Object.entries(TYPES).find(([, info]) => info.type === array.type)?.[0]);
  const size = TYPES[code].bytes;
  const headerBytes = 4 + 4 * array.dims.length;
  const out = new Uint8Array(headerBytes + array.data.length * size);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = array.dims.length;
  array.dims.forEach((dim, i) => view.setUint32(4 + 4 * i, dim, false));
  for (let i = 0; i < array.data.length; i++) {
    const at = headerBytes + i * size;
    const value = array.data[i];
    switch (array.type) {
      case 'uint8':
        view.setUint8(at, value);
        break;
      case 'int8':
        view.setInt8(at, value);
        break;
      case 'int16':
        view.setInt16(at, value, false);
        break;
      case 'int32':
        view.setInt32(at, value, false);
        break;
      case 'float32':
        view.setFloat32(at, value, false);
        break;
      case 'float64':
        view.setFloat64(at, value, false);
        break;
    }
  }
  return out;
}
