import { NoDigitFoundError } from './digit-image';
import { flatGround, inkContrast, inkIsDark, strokeWidth } from './illumination';
import { prepareDigit } from './prepare-digit';
import {
  BLACK_INK,
  alignedCorrelation,
  digitCoverage,
  flat,
  gradient,
  render,
  shadowBand,
  WHITE_PAPER,
  type Rgb,
  testDigits,
} from './test-pictures';

let digits: Uint8Array[];
beforeAll(async () => {
  digits = await testDigits(10);
});

const W = 320;
const H = 240;
const onPaper = (digit: Uint8Array, paper: (x: number, y: number) => Rgb, ink = BLACK_INK) =>
  render({
    width: W,
    height: H,
    paper,
    ink: { coverage: digitCoverage(digit, 3, 150, 60), colour: ink },
  });

describe('illumination', () => {
  it('takes a brightness gradient or a soft shadow band alone for paper: no digit', () => {
    for (const paper of [gradient(W, H, 0.45), shadowBand(H, 0.4)]) {
      const picture = render({ width: W, height: H, paper });
      expect(() => prepareDigit(picture)).toThrow(NoDigitFoundError);
    }
  });

  it('finds a digit under a gradient or a shadow with the same box as on flat paper', () => {
    for (const digit of digits.slice(0, 5)) {
      const plain = prepareDigit(onPaper(digit, flat()));
      for (const paper of [gradient(W, H, 0.45), shadowBand(H, 0.4)]) {
        const lit = prepareDigit(onPaper(digit, paper));
        for (const side of ['left', 'top', 'width', 'height'] as const)
          expect(Math.abs(lit.box[side] - plain.box[side])).toBeLessThanOrEqual(2);
        expect(alignedCorrelation(lit.pixels, plain.pixels)).toBeGreaterThan(0.95);
      }
    }
  });

  it('takes the flat ground of a made picture as its paper, and only that', () => {
    const plane = (value: (x: number, y: number) => number) => ({
      width: 40,
      height: 30,
      data: Float32Array.from({ length: 1200 }, (_, i) => value(i % 40, Math.floor(i / 40))),
    });
    const stroke = (x: number, y: number) => x > 15 && x < 22 && y > 5 && y < 25;
    expect(flatGround(plane((x, y) => (stroke(x, y) ? 0.1 : 0.9)))).toBeCloseTo(0.9);
    // Paper noise of a photo or a scan, a gradient, or ink over most of the picture: not flat.
    const noise = (x: number, y: number) => (((x * 7 + y * 13) % 5) - 2) / 255;
    expect(flatGround(plane((x, y) => (stroke(x, y) ? 0.1 : 0.9 + noise(x, y))))).toBeUndefined();
    expect(flatGround(plane((x, y) => (stroke(x, y) ? 0.1 : 0.7 + x / 200)))).toBeUndefined();
    expect(
      flatGround(plane((x, y) => (x > 0 && y > 0 && x < 39 && y < 29 ? 0.1 : 0.9))),
    ).toBeUndefined();
  });

  it('reads a made picture on flat ground as it reads the same picture with paper noise', () => {
    const noisy = (x: number, y: number): Rgb => {
      const n = ((x * 7 + y * 13) % 5) - 2;
      return [WHITE_PAPER[0] + n, WHITE_PAPER[1] + n, WHITE_PAPER[2] + n];
    };
    for (const digit of digits.slice(0, 5)) {
      const plain = prepareDigit(onPaper(digit, flat()));
      const grainy = prepareDigit(onPaper(digit, noisy));
      for (const side of ['left', 'top', 'width', 'height'] as const)
        expect(Math.abs(grainy.box[side] - plain.box[side])).toBeLessThanOrEqual(2);
      expect(alignedCorrelation(grainy.pixels, plain.pixels)).toBeGreaterThan(0.97);
    }
  });

  it('reads coloured ink on tinted paper like black ink on white', () => {
    const combinations: [Rgb, Rgb][] = [
      [[30, 60, 200], WHITE_PAPER],
      [
        [200, 40, 40],
        [245, 240, 200],
      ],
      [
        [30, 140, 60],
        [250, 225, 230],
      ],
    ];
    for (const digit of digits.slice(0, 5)) {
      const reference = prepareDigit(onPaper(digit, flat()));
      for (const [ink, paper] of combinations) {
        const coloured = prepareDigit(onPaper(digit, flat(paper), ink));
        expect(alignedCorrelation(coloured.pixels, reference.pixels)).toBeGreaterThan(0.95);
      }
    }
  });

  it('measures ink in the channel where it differs most from the paper', () => {
    // Red ink on white: luma drops by 58%, the green and blue channels by 84%.
    const picture = onPaper(digits[0], flat([255, 255, 255]), [200, 40, 40]);
    const planes = [0, 1, 2].map((c) => ({
      width: W,
      height: H,
      data: Float32Array.from({ length: W * H }, (_, i) => picture.data[i * 3 + c] / 255),
    }));
    const luma = {
      width: W,
      height: H,
      data: planes[0].data.map(
        (r, i) => 0.299 * r + 0.587 * planes[1].data[i] + 0.114 * planes[2].data[i],
      ),
    };
    const ink = inkContrast(planes, luma, true);
    expect(Math.max(...ink.data)).toBeGreaterThan(0.8);
  });

  it('tells dark ink on light paper from light ink on a dark ground', () => {
    const plane = (value: (i: number) => number) => ({
      width: 50,
      height: 50,
      data: Float32Array.from({ length: 2500 }, (_, i) => value(i)),
    });
    const stroke = (i: number) => i % 50 > 20 && i % 50 < 26;
    expect(inkIsDark(plane((i) => (stroke(i) ? 0.1 : 0.9)))).toBe(true);
    expect(inkIsDark(plane((i) => (stroke(i) ? 0.9 : 0.1)))).toBe(false);
    // A made picture: a white patch pasted on a grey ground, a dark stroke inside it. The
    // patch is brighter than the ground and far bigger than the stroke; the stroke is the ink.
    const patch = (i: number) => i % 50 > 10 && i % 50 < 40 && i > 500 && i < 2000;
    expect(inkIsDark(plane((i) => (stroke(i) && patch(i) ? 0.05 : patch(i) ? 1 : 0.8)))).toBe(true);
  });

  it('keeps dark ink dark when light falls off to a fifth across the sheet, small digits too', () => {
    // A thin digit two and a half times MNIST's size holds under 1% of the picture: the tails
    // at 1% tie, and the paper at the border is dimmer than mid-grey.
    for (const digit of digits.slice(0, 5)) {
      for (const [scale, left, top] of [
        [3, 150, 60],
        [2, 250, 170],
      ]) {
        const scene = (paper: (x: number, y: number) => Rgb) =>
          render({
            width: W,
            height: H,
            paper,
            ink: { coverage: digitCoverage(digit, scale, left, top), colour: BLACK_INK },
          });
        const dim = scene(gradient(W, H, 0.2));
        const luma = Float32Array.from({ length: W * H }, (_, i) => dim.data[i * 3] / 255);
        expect(inkIsDark({ width: W, height: H, data: luma })).toBe(true);
        const plain = prepareDigit(scene(flat()));
        expect(alignedCorrelation(prepareDigit(dim).pixels, plain.pixels)).toBeGreaterThan(0.9);
      }
    }
  });

  it('finds a digit that touches a deep shadow band (three quarters of the light gone)', () => {
    // Deep enough to pass for ink against the broad estimate, and joined to the digit by its rim.
    for (const digit of digits.slice(0, 5)) {
      const plain = prepareDigit(onPaper(digit, flat()));
      const shaded = prepareDigit(onPaper(digit, shadowBand(H, 0.75)));
      for (const side of ['left', 'width'] as const)
        expect(Math.abs(shaded.box[side] - plain.box[side])).toBeLessThanOrEqual(3);
      expect(alignedCorrelation(shaded.pixels, plain.pixels)).toBeGreaterThan(0.9);
    }
  });

  it('measures stroke width as twice the area over the edge', () => {
    const width = 60;
    const mask = new Uint8Array(width * 60);
    for (let y = 5; y < 55; y++) for (let x = 20; x < 26; x++) mask[y * width + x] = 1;
    expect(strokeWidth(mask, width, 60)).toBeGreaterThan(4.5);
    expect(strokeWidth(mask, width, 60)).toBeLessThan(7);
    expect(strokeWidth(new Uint8Array(100), 10, 10)).toBe(0);
  });
});
