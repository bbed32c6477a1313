import { strokeBox } from '@mnist-mlops/testing';
import type { RawImage } from './digit-image';
import { prepareDigit } from './prepare-digit';
import {
  alignedCorrelation,
  BLACK_INK,
  flat,
  gradient,
  gridLines,
  render,
  shadowBand,
  testDigits,
} from './test-pictures';
import { padCutDigit, padTightCrop, TIGHT_CROP_SIDE, unpadBox } from './tight-crop';

let digits: Uint8Array[];
beforeAll(async () => {
  digits = await testDigits(20);
});

/** An MNIST digit cropped to its strokes, scaled `scale` times: dark ink on white, or on a canvas. */
function cropped(digit: Uint8Array, scale: number, canvas = false): RawImage {
  const [left, top, boxWidth, boxHeight] = strokeBox(digit);
  const width = boxWidth * scale;
  const height = boxHeight * scale;
  const channels = canvas ? 4 : 1;
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const ink = digit[(top + Math.floor(y / scale)) * 28 + left + Math.floor(x / scale)];
      const at = (y * width + x) * channels;
      if (canvas) data.set([30, 60, 200, ink], at);
      else data[at] = 255 - ink;
    }
  return { width, height, channels, data, maxValue: 255 };
}

/** A gray picture with the grain of a scan or a photo's paper (seeded, +-12 levels). */
function grainy(image: RawImage, seed: number): RawImage {
  let state = seed;
  const random = () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
  const data = Uint8Array.from(image.data, (v) =>
    Math.max(0, Math.min(255, v + Math.round((random() + random() - 1) * 12))),
  );
  return { ...image, data };
}

/** The same picture on white paper with a margin (a third of its size unless given). */
function withMargin(
  image: RawImage,
  margin = Math.round(Math.max(image.width, image.height) / 3),
): RawImage {
  const width = image.width + 2 * margin;
  const height = image.height + 2 * margin;
  const data = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < image.width; x++)
      data[(y + margin) * width + x + margin] = image.data[y * image.width + x];
  return { width, height, channels: 1, data, maxValue: 255 };
}

describe('tight crops', () => {
  it('reads a digit cropped to its strokes as the same digit with paper round it', () => {
    for (const digit of digits) {
      const tight = cropped(digit, 2);
      const read = prepareDigit(tight);
      const reference = prepareDigit(withMargin(tight));
      expect(alignedCorrelation(read.pixels, reference.pixels)).toBeGreaterThan(0.95);
      // The box is in the picture's own pixels, and holds nearly all of it.
      const { left, top, width, height } = read.box;
      expect(Math.min(left, top)).toBeGreaterThanOrEqual(0);
      expect(left + width).toBeLessThanOrEqual(tight.width);
      expect(top + height).toBeLessThanOrEqual(tight.height);
      expect(Math.max(width / tight.width, height / tight.height)).toBeGreaterThan(0.8);
    }
  });

  it('reads a digit drawn to the edges of a transparent canvas of any size', () => {
    for (const digit of digits.slice(0, 5)) {
      const canvas = cropped(digit, 8, true);
      expect(Math.max(canvas.width, canvas.height)).toBeGreaterThan(TIGHT_CROP_SIDE);
      const reference = prepareDigit(withMargin(cropped(digit, 8)));
      expect(alignedCorrelation(prepareDigit(canvas).pixels, reference.pixels)).toBeGreaterThan(
        0.95,
      );
    }
  });

  it('leaves alone an MNIST-style crop (paper all round), and a big picture on paper at first', () => {
    const mnist: RawImage = {
      width: 28,
      height: 28,
      channels: 1,
      data: Uint8Array.from(digits[0], (v) => 255 - v),
      maxValue: 255,
    };
    expect(padTightCrop(mnist)).toBeUndefined();
    // Big enough to show a desk or a page edge: what runs into its edges may be either, so it is
    // read as it is first (padCutDigit pads it when that reading fails).
    expect(padTightCrop(cropped(digits[0], 8))).toBeUndefined();
  });

  it('leaves alone a small picture with a desk along one side, and reads its digit', () => {
    for (const digit of digits.slice(0, 5)) {
      const plain = withMargin(cropped(digit, 1));
      const desk = { ...plain, data: Uint8Array.from(plain.data) };
      // A dark band along the right-hand side, a sixth of the picture deep.
      const band = Math.round(Math.max(desk.width, desk.height) / 6);
      for (let y = 0; y < desk.height; y++)
        for (let x = desk.width - band; x < desk.width; x++) desk.data[y * desk.width + x] = 40;
      expect(padTightCrop(desk)).toBeUndefined();
      expect(
        alignedCorrelation(prepareDigit(desk).pixels, prepareDigit(plain).pixels),
      ).toBeGreaterThan(0.95);
    }
  });

  it('reads a bigger digit cropped to its strokes, on grainy paper, as with paper round it', () => {
    for (const [i, digit] of digits.entries()) {
      const tight = cropped(digit, 6);
      expect(Math.max(tight.width, tight.height)).toBeGreaterThan(TIGHT_CROP_SIDE);
      const reference = prepareDigit(withMargin(tight));
      const read = prepareDigit(grainy(tight, i + 1));
      expect(alignedCorrelation(read.pixels, reference.pixels)).toBeGreaterThan(0.9);
      expect(
        Math.max(read.box.width / tight.width, read.box.height / tight.height),
      ).toBeGreaterThan(0.8);
    }
  });

  it('takes strokes that stop a pixel or two short of the edges for strokes cut by the frame', () => {
    for (const [i, digit] of digits.slice(0, 10).entries()) {
      const tight = cropped(digit, 6);
      // Two pixels of paper round the strokes: what trimming an anti-aliased drawing leaves.
      const trimmed = withMargin(tight, 2);
      const reference = prepareDigit(withMargin(tight));
      const read = prepareDigit(grainy(trimmed, i + 1));
      expect(alignedCorrelation(read.pixels, reference.pixels)).toBeGreaterThan(0.9);
    }
  });

  it('does not take a shadow, a gradient, a desk, a page edge or squared paper for cut strokes', () => {
    const W = 320;
    const H = 240;
    const pictures = [
      render({ width: W, height: H, paper: shadowBand(H, 0.4) }),
      render({ width: W, height: H, paper: shadowBand(H, 0.75) }),
      render({ width: W, height: H, paper: gradient(W, H, 0.45) }),
      render({
        width: W,
        height: H,
        paper: flat(),
        marks: [{ coverage: (x) => (x > W - 50 ? 1 : 0), colour: BLACK_INK }],
      }),
      render({
        width: W,
        height: H,
        paper: flat(),
        marks: [{ coverage: (x, y) => (y > 0.3 * x + 150 ? 1 : 0), colour: BLACK_INK }],
      }),
      render({
        width: W,
        height: H,
        paper: flat(),
        marks: [{ coverage: gridLines(16, 1), colour: [60, 80, 160] }],
      }),
    ];
    for (const picture of pictures) expect(padCutDigit(picture)).toBeUndefined();
    expect(padCutDigit(cropped(digits[0], 8))).toBeDefined();
  });

  it("pads with the picture's own paper and maps a box back into its pixels", () => {
    const tight = cropped(digits[1], 2);
    const padded = padTightCrop(tight);
    if (!padded) throw new Error('a tight crop is padded');
    const { image, offset } = padded;
    expect(image.width).toBe(tight.width + 2 * offset);
    expect(image.data[0]).toBe(255);
    expect(image.data[(offset * image.width + offset) * 1]).toBe(tight.data[0]);
    expect(unpadBox({ left: offset + 2, top: 1, width: 10, height: 500 }, offset, tight)).toEqual({
      left: 2,
      top: 0,
      width: 10,
      height: tight.height,
    });
  });
});
