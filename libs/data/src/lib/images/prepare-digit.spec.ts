import { EmbeddedMnistSource } from '../sources/embedded-source';
import { loadMnist, type LabeledImages } from '../mnist/mnist-dataset';
import { MNIST_SIZE, NoDigitFoundError, type RawImage } from './digit-image';
import { prepareDigit } from './prepare-digit';
import { alignedCorrelation } from './test-pictures';

let test: LabeledImages;
beforeAll(async () => {
  test = (await loadMnist(new EmbeddedMnistSource(), { testLimit: 50 })).test;
});

function digit(index: number): Uint8Array {
  return test.images.subarray(index * 784, (index + 1) * 784);
}

/** A photo-like picture of an MNIST digit: enlarged, moved off-centre on a bigger canvas. */
function photo(
  index: number,
  options: { scale: number; width: number; height: number; left: number; top: number },
) {
  const source = digit(index);
  const values = new Float32Array(options.width * options.height);
  for (let y = 0; y < options.height; y++) {
    for (let x = 0; x < options.width; x++) {
      const sx = Math.floor((x - options.left) / options.scale);
      const sy = Math.floor((y - options.top) / options.scale);
      values[y * options.width + x] =
        sx >= 0 && sy >= 0 && sx < 28 && sy < 28 ? source[sy * 28 + sx] / 255 : 0;
    }
  }
  return values;
}

function raw(
  width: number,
  height: number,
  channels: RawImage['channels'],
  pixel: (ink: number, i: number) => number[],
  ink: Float32Array,
  maxValue = 255,
): RawImage {
  const data =
    maxValue > 255
      ? new Uint16Array(width * height * channels)
      : new Uint8Array(width * height * channels);
  for (let i = 0; i < width * height; i++) data.set(pixel(ink[i], i), i * channels);
  return { width, height, channels, data, maxValue };
}

describe('prepareDigit', () => {
  it('leaves MNIST digits as they are (MNIST was made this way)', () => {
    // Number 40 is a lone thin "1", as long as a ruled line on so small a picture.
    for (let i = 0; i < 50; i++) {
      const prepared = prepareDigit({
        width: 28,
        height: 28,
        channels: 1,
        data: digit(i),
        maxValue: 255,
      });
      expect(prepared.inverted).toBe(false);
      expect(alignedCorrelation(prepared.pixels, digit(i))).toBeGreaterThan(0.93);
    }
  });

  it('finds, crops, scales and centres a digit drawn large and off-centre, dark on light paper, in RGB', () => {
    for (let i = 0; i < 10; i++) {
      const ink = photo(i, { scale: 9, width: 400, height: 330, left: 20, top: 70 });
      // Dark ink on slightly uneven off-white paper with a blue tint.
      const image = raw(
        400,
        330,
        3,
        (v, p) => {
          const paper = 225 + ((p * 7919) % 23);
          return [
            paper * (1 - v) + 20 * v,
            paper * (1 - v) + 25 * v,
            Math.min(255, paper + 10) * (1 - v) + 60 * v,
          ];
        },
        ink,
      );
      const prepared = prepareDigit(image);
      expect(prepared.inverted).toBe(true);
      expect(prepared.pixels).toHaveLength(MNIST_SIZE * MNIST_SIZE);
      expect(alignedCorrelation(prepared.pixels, digit(i))).toBeGreaterThan(0.85);
    }
  });

  it('composites ink drawn on a transparent background (a drawing-pad export), dark or light ink', () => {
    const ink = photo(3, { scale: 4, width: 150, height: 140, left: 40, top: 10 });
    const darkInk = prepareDigit(raw(150, 140, 4, (v) => [0, 0, 0, Math.round(v * 255)], ink));
    const lightInk = prepareDigit(raw(150, 140, 2, (v) => [255, Math.round(v * 255)], ink));
    expect(alignedCorrelation(darkInk.pixels, digit(3))).toBeGreaterThan(0.85);
    expect(alignedCorrelation(lightInk.pixels, digit(3))).toBeGreaterThan(0.85);
  });

  it('reads 16-bit light-on-dark images', () => {
    const ink = photo(7, { scale: 2, width: 90, height: 60, left: 30, top: 2 });
    const prepared = prepareDigit(
      raw(90, 60, 1, (v) => [Math.round(v * 60000) + 2000], ink, 65535),
    );
    expect(prepared.inverted).toBe(false);
    expect(alignedCorrelation(prepared.pixels, digit(7))).toBeGreaterThan(0.85);
  });

  it('fits the longer side of the digit to 20 pixels and puts its centre of mass in the middle', () => {
    // A tall bar: 10 wide, 100 high.
    const width = 60;
    const height = 120;
    const ink = new Float32Array(width * height);
    for (let y = 10; y < 110; y++) for (let x = 5; x < 15; x++) ink[y * width + x] = 1;
    const prepared = prepareDigit(raw(width, height, 1, (v) => [Math.round(v * 255)], ink));
    const rows = [...Array(28).keys()].filter((y) =>
      prepared.pixels.subarray(y * 28, y * 28 + 28).some((v) => v > 0),
    );
    const cols = [...Array(28).keys()].filter((x) =>
      [...Array(28).keys()].some((y) => prepared.pixels[y * 28 + x] > 0),
    );
    expect(rows.length).toBe(20);
    expect(cols.length).toBe(2);
    expect((rows[0] + rows[rows.length - 1] + 1) / 2).toBeCloseTo(14, 0);
    expect(prepared.box).toEqual({ left: 5, top: 10, width: 10, height: 100 });
  });

  it('refuses blank and contrast-free pictures', () => {
    const flat = new Float32Array(64 * 64).fill(0.5);
    expect(() => prepareDigit(raw(64, 64, 1, (v) => [Math.round(v * 255)], flat))).toThrow(
      NoDigitFoundError,
    );
    expect(() => prepareDigit(raw(64, 64, 1, (v) => [Math.round(v * 255)], flat))).toThrow(
      'no digit found: the image has (almost) no contrast',
    );
    expect(() =>
      prepareDigit({ width: 0, height: 0, channels: 1, data: new Uint8Array(0), maxValue: 255 }),
    ).toThrow('no digit found: the image is empty');
  });
});
