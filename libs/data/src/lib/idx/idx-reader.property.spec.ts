import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { checkProperty } from '@mnist-mlops/testing';
import { encodeIdx, IdxFormatError, parseIdx, type IdxDataType } from './idx-reader';

const SIZES: Record<IdxDataType, number> = {
  uint8: 1,
  int8: 1,
  int16: 2,
  int32: 4,
  float32: 4,
  float64: 8,
};

/** Either a tensor whose data has exactly the declared shape's size, or one IdxFormatError. */
function parsesOrRefuses(bytes: Uint8Array): void {
  let parsed;
  try {
    parsed = parseIdx(bytes, 'fuzz');
  } catch (error) {
    expect(error).toBeInstanceOf(IdxFormatError);
    expect((error as Error).message).toMatch(/^fuzz: \S/);
    return;
  }
  expect(parsed.data.length).toBe(parsed.dims.reduce((a, b) => a * b, 1));
  expect(parsed.dims.length).toBeGreaterThan(0);
}

const header = fc
  .record({
    type: fc.constantFrom(0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e, 0x00, 0x0a, 0xff),
    dims: fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant(2 ** 32 - 1)), {
      minLength: 0,
      maxLength: 4,
    }),
  })
  .map(({ type, dims }) => {
    const out = new Uint8Array(4 + 4 * dims.length);
    out[2] = type;
    out[3] = dims.length;
    dims.forEach((d, i) => new DataView(out.buffer).setUint32(4 + 4 * i, d, false));
    return out;
  });

describe('parseIdx on any bytes', () => {
  it('gives a tensor of the declared size or one clear IdxFormatError for any byte string', () =>
    checkProperty(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => parsesOrRefuses(bytes)),
    ));

  it('does the same for a plausible header followed by any bytes, gzipped or not', () =>
    checkProperty(
      fc.property(header, fc.uint8Array({ maxLength: 300 }), fc.boolean(), (head, body, zip) => {
        const bytes = Uint8Array.from([...head, ...body]);
        parsesOrRefuses(zip ? gzipSync(bytes) : bytes);
      }),
    ));

  it('refuses every truncation of a well-formed file, and reads the whole one back', () =>
    checkProperty(
      fc.property(
        fc.constantFrom<IdxDataType>('uint8', 'int8', 'int16', 'int32', 'float32', 'float64'),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
        fc.nat(),
        (type, dims, cut) => {
          const count = dims.reduce((a, b) => a * b, 1);
          const data = new (
            {
              uint8: Uint8Array,
              int8: Int8Array,
              int16: Int16Array,
              int32: Int32Array,
              float32: Float32Array,
              float64: Float64Array,
            } as const
          )[type](count).map((_, i) => i % 100);
          const file = encodeIdx({ type, dims, data });
          expect(file.length).toBe(4 + 4 * dims.length + count * SIZES[type]);
          expect(Array.from(parseIdx(file).data)).toEqual(Array.from(data));
          const truncated = file.subarray(0, cut % file.length);
          expect(() => parseIdx(truncated)).toThrow(IdxFormatError);
        },
      ),
    ));
});
