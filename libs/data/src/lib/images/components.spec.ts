import { clusterBox, dominantCluster, labelComponents } from './components';
import { NoDigitFoundError } from './digit-image';
import { ANALYSIS_SIDE, prepareDigit } from './prepare-digit';
import {
  alignedCorrelation,
  BLACK_INK,
  digitCoverage,
  flat,
  render,
  testDigits,
} from './test-pictures';

let digits: Uint8Array[];
beforeAll(async () => {
  digits = await testDigits(10);
});

const W = 400;
const H = 300;
const square = (left: number, top: number, size: number) => (x: number, y: number) =>
  x >= left && x < left + size && y >= top && y < top + size ? 1 : 0;

describe('the dominant cluster of strokes', () => {
  it('labels 8-connected components with their area, ink and box', () => {
    const width = 10;
    const mask = new Uint8Array(100);
    for (const i of [11, 22, 33, 77, 78]) mask[i] = 1; // a diagonal, and a pair
    const { components } = labelComponents(mask, {
      width,
      height: 10,
      data: new Float32Array(100).fill(0.5),
    });
    expect(components.map((c) => [c.area, c.mass, c.box])).toEqual([
      [3, 1.5, { left: 1, top: 1, width: 3, height: 3 }],
      [2, 1, { left: 7, top: 7, width: 2, height: 1 }],
    ]);
  });

  it('ignores specks, a stray mark, a frame round the digit and a dark page edge', () => {
    const digit = digits[0];
    const digitAt = digitCoverage(digit, 4, 130, 60);
    const clean = prepareDigit(
      render({ width: W, height: H, paper: flat(), ink: { coverage: digitAt, colour: BLACK_INK } }),
    );
    const frame = (x: number, y: number) =>
      x >= 100 && x < 290 && y >= 40 && y < 220 && (x < 103 || x >= 287 || y < 43 || y >= 217)
        ? 1
        : 0;
    const pageEdge = (x: number) => (x >= W - 25 ? 1 : 0);
    const specks = (x: number, y: number) =>
      square(30, 30, 3)(x, y) + square(60, 250, 2)(x, y) + square(330, 260, 3)(x, y);
    const stray = (x: number, y: number) => (y === 270 && x > 20 && x < 60 ? 1 : 0);
    const messy = prepareDigit(
      render({
        width: W,
        height: H,
        paper: flat(),
        ink: { coverage: digitAt, colour: BLACK_INK },
        marks: [frame, pageEdge, specks, stray].map((coverage) => ({
          coverage,
          colour: BLACK_INK,
        })),
      }),
    );
    // The same box, to the analysis pixel (a 400-pixel picture is analysed at half size).
    const pixel = Math.round(W / ANALYSIS_SIDE);
    for (const side of ['left', 'top', 'width', 'height'] as const)
      expect(Math.abs(messy.box[side] - clean.box[side])).toBeLessThanOrEqual(pixel);
    expect(alignedCorrelation(messy.pixels, clean.pixels)).toBeGreaterThan(0.97);
  });

  it("finds a digit filling 15% of a large frame's height, off centre", () => {
    const big = { width: 1200, height: 900 };
    const size = Math.round(900 * 0.15);
    const picture = render({
      ...big,
      paper: flat(),
      ink: { coverage: digitCoverage(digits[2], size / 28, 980, 700), colour: BLACK_INK },
    });
    const prepared = prepareDigit(picture);
    expect(prepared.box.left).toBeGreaterThan(980);
    expect(prepared.box.top).toBeGreaterThan(700);
    expect(prepared.box.left + prepared.box.width).toBeLessThan(980 + size + 4);
  });

  it('keeps the parts of one digit together (a 5 whose bar stands apart)', () => {
    const mask = new Uint8Array(W * H);
    const ink = new Float32Array(W * H);
    const mark = (left: number, top: number, width: number, height: number) => {
      for (let y = top; y < top + height; y++)
        for (let x = left; x < left + width; x++) {
          mask[y * W + x] = 1;
          ink[y * W + x] = 1;
        }
    };
    mark(150, 100, 8, 80); // the body
    mark(165, 92, 40, 6); // the bar, 8 pixels apart
    mark(20, 20, 3, 3); // a speck far away
    const { components } = labelComponents(mask, { width: W, height: H, data: ink });
    const cluster = dominantCluster(components, W, H);
    expect(cluster).toHaveLength(2);
    expect(clusterBox(cluster)).toEqual({ left: 150, top: 92, width: 55, height: 88 });
  });

  it('gives NO_DIGIT_FOUND when all there is is a page edge', () => {
    const edge = (x: number) => (x < 40 ? 1 : 0);
    expect(() =>
      prepareDigit(
        render({
          width: W,
          height: H,
          paper: flat(),
          marks: [{ coverage: edge, colour: BLACK_INK }],
        }),
      ),
    ).toThrow(NoDigitFoundError);
  });
});
