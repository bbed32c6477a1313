import fc from 'fast-check';
import { PNG } from 'pngjs';
import sharp from 'sharp';
import { MNIST_SIZE, NoDigitFoundError, prepareDigit, type RawImage } from '@mnist-mlops/data';
import { checkProperty } from '@mnist-mlops/testing';
import { ApiError } from '../api/api-error';
import { decodeImage } from './image-decoder';

const MAX_PIXELS = 4_000_000;

/** What the service may do with any upload: read a digit, find none, or refuse it with a 4xx. */
async function readsOrRefuses(bytes: Buffer): Promise<void> {
  try {
    const { pixels } = prepareDigit(await decodeImage(bytes, MAX_PIXELS));
    expect(pixels).toHaveLength(MNIST_SIZE * MNIST_SIZE);
  } catch (error) {
    if (error instanceof NoDigitFoundError) return;
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBeGreaterThanOrEqual(400);
    expect((error as ApiError).status).toBeLessThan(500);
  }
}

const COLOUR_TYPES = { 1: 0, 2: 4, 3: 2, 4: 6 } as const;

/** Any small picture: size, channels (gray, gray + alpha, RGB, RGBA), bit depth and pixels. */
const anyPicture = fc
  .record({
    width: fc.integer({ min: 1, max: 48 }),
    height: fc.integer({ min: 1, max: 48 }),
    channels: fc.constantFrom<RawImage['channels']>(1, 2, 3, 4),
    sixteenBit: fc.boolean(),
    seed: fc.integer(),
    // Pixels drawn from a few values (flat grounds, strokes) or from all of them (noise).
    palette: fc.oneof(fc.array(fc.nat(65535), { minLength: 1, maxLength: 3 }), fc.constant([])),
  })
  .map(({ width, height, channels, sixteenBit, seed, palette }) => {
    const maxValue = sixteenBit ? 65535 : 255;
    const data = (
      sixteenBit
        ? new Uint16Array(width * height * channels)
        : new Uint8Array(width * height * channels)
    ).map((_, i) => {
      const r = Math.abs(Math.imul(seed ^ (i * 2654435761), 2246822519)) % 65536;
      return (palette.length ? palette[r % palette.length] : r) % (maxValue + 1);
    });
    return { width, height, channels, data, maxValue } satisfies RawImage;
  });

function encodePng(image: RawImage): Buffer {
  const sixteen = image.maxValue > 255;
  const png = new PNG({
    width: image.width,
    height: image.height,
    bitDepth: sixteen ? 16 : 8,
    colorType: COLOUR_TYPES[image.channels],
    inputColorType: COLOUR_TYPES[image.channels],
    inputHasAlpha: image.channels === 2 || image.channels === 4,
  });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return PNG.sync.write(png, {
    bitDepth: sixteen ? 16 : 8,
    colorType: COLOUR_TYPES[image.channels],
    inputColorType: COLOUR_TYPES[image.channels],
    inputHasAlpha: image.channels === 2 || image.channels === 4,
  });
}

describe('any upload gives a digit, NO_DIGIT_FOUND or a 4xx, never another error', () => {
  it('any picture, prepared straight from its pixels', () =>
    checkProperty(
      fc.property(anyPicture, (image) => {
        try {
          expect(prepareDigit(image).pixels).toHaveLength(MNIST_SIZE * MNIST_SIZE);
        } catch (error) {
          expect(error).toBeInstanceOf(NoDigitFoundError);
        }
      }),
    ));

  it('any picture as a PNG of any colour type and bit depth', () =>
    checkProperty(fc.asyncProperty(anyPicture, (image) => readsOrRefuses(encodePng(image)))));

  it('any picture as a JPEG', () =>
    checkProperty(
      fc.asyncProperty(anyPicture, async (image) => {
        const eight =
          image.maxValue > 255 ? Uint8Array.from(image.data, (v) => v >> 8) : image.data;
        const jpeg = await sharp(Buffer.from(eight), {
          raw: { width: image.width, height: image.height, channels: image.channels },
        })
          .jpeg()
          .toBuffer();
        await readsOrRefuses(jpeg);
      }),
      { numRuns: 100 },
    ));

  it('any bytes after a PNG or JPEG signature, and any damage to a real PNG', () =>
    checkProperty(
      fc.asyncProperty(
        fc.constantFrom([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0xff, 0xd8, 0xff], []),
        fc.uint8Array({ maxLength: 400 }),
        (signature, rest) => readsOrRefuses(Buffer.from([...signature, ...rest])),
      ),
    ));

  it('a real PNG cut short or with bytes changed anywhere', () =>
    checkProperty(
      fc.asyncProperty(
        anyPicture,
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 4 }),
        (image, cut, flips) => {
          const png = encodePng(image);
          const damaged = Buffer.from(png.subarray(0, 1 + (cut % png.length)));
          for (const [at, value] of flips) damaged[at % damaged.length] = value;
          return readsOrRefuses(damaged);
        },
      ),
    ));
});
