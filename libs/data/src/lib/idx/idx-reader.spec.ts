import { gzipSync } from 'node:zlib';
import { encodeIdx, IdxFormatError, parseIdx } from './idx-reader';

const images = encodeIdx({
  type: 'uint8',
  dims: [2, 2, 3],
  data: Uint8Array.from([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]),
});

describe('parseIdx', () => {
  it('reads the header and the values of an unsigned-byte file', () => {
    expect([...images.subarray(0, 4)]).toEqual([0, 0, 0x08, 3]);
    const parsed = parseIdx(images);
    expect(parsed.type).toBe('uint8');
    expect(parsed.dims).toEqual([2, 2, 3]);
    expect([...parsed.data]).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
  });

  it('reads gzipped files', () => {
    expect(parseIdx(gzipSync(images)).dims).toEqual([2, 2, 3]);
  });

  it.each([
    ['int8', Int8Array.from([-128, 0, 127])],
    ['int16', Int16Array.from([-32768, 1, 32767])],
    ['int32', Int32Array.from([-2147483648, 7, 2147483647])],
    ['float32', Float32Array.from([-1.5, 0, 3.25])],
    ['float64', Float64Array.from([Math.PI, -Math.E, 1e300])],
  ] as const)('round-trips big-endian %s values', (type, data) => {
    const parsed = parseIdx(encodeIdx({ type, dims: [3], data }));
    expect(parsed.type).toBe(type);
    expect([...parsed.data]).toEqual([...data]);
  });

  const broken: [string, Uint8Array, RegExp][] = [
    ['an empty file', new Uint8Array(0), /too short to be an IDX file \(0 bytes\)/],
    [
      'a PNG',
      Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]),
      /not an IDX file \(magic bytes 89 50 4e 47/,
    ],
    [
      'an unknown type byte',
      Uint8Array.from([0, 0, 0x07, 1, 0, 0, 0, 1, 9]),
      /unknown IDX data type 0x07/,
    ],
    ['zero dimensions', Uint8Array.from([0, 0, 0x08, 0]), /declares zero dimensions/],
    [
      'a cut header',
      images.subarray(0, 10),
      /truncated header: 3 dimensions need 16 bytes, found 10/,
    ],
    [
      'cut data',
      images.subarray(0, images.length - 1),
      /truncated: header says 2x2x3 uint8 values \(28 bytes\), file has 27 bytes/,
    ],
    [
      'trailing bytes',
      Uint8Array.from([...images, 1, 2]),
      /2 unexpected bytes after the 2x2x3 uint8 values/,
    ],
    ['corrupt gzip', Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6]), /corrupt gzip data/],
  ];

  it.each(broken)('rejects %s with a clear error naming the file', (_name, bytes, message) => {
    expect(() => parseIdx(bytes, 'train-images-idx3-ubyte')).toThrow(IdxFormatError);
    expect(() => parseIdx(bytes, 'train-images-idx3-ubyte')).toThrow(message);
    expect(() => parseIdx(bytes, 'train-images-idx3-ubyte')).toThrow(/^train-images-idx3-ubyte: /);
  });
});
