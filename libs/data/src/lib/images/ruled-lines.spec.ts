import { NoDigitFoundError } from './digit-image';
import { prepareDigit } from './prepare-digit';
import { removeRuledLines } from './ruled-lines';
import {
  alignedCorrelation,
  BLACK_INK,
  digitCoverage,
  flat,
  gridLines,
  render,
  type Rgb,
  testDigits,
} from './test-pictures';

let digits: Uint8Array[];
beforeAll(async () => {
  digits = await testDigits(10);
});

const W = 320;
const H = 240;
const LINE_BLUE: Rgb = [120, 160, 220];
const squared = (digit?: Uint8Array, lines = gridLines(16, 1)) =>
  render({
    width: W,
    height: H,
    paper: flat(),
    marks: [{ coverage: lines, colour: LINE_BLUE }],
    ...(digit ? { ink: { coverage: digitCoverage(digit, 3, 140, 50), colour: BLACK_INK } } : {}),
  });

describe('ruled and squared paper', () => {
  it('finds the lines of a grid, a few degrees askew too, at their rows', () => {
    const ink = new Float32Array(W * H);
    const mask = new Uint8Array(W * H);
    const tilt = Math.tan((2 * Math.PI) / 180);
    for (let x = 0; x < W; x++)
      for (const row of [30, 90, 150]) {
        const y = Math.round(row + x * tilt);
        if (y < H) {
          ink[y * W + x] = 0.3;
          mask[y * W + x] = 1;
        }
      }
    const { ink: clean, lines } = removeRuledLines({ width: W, height: H, data: ink }, mask, 0.9);
    expect(lines.map((l) => l.offset).sort((a, b) => a - b)).toEqual([30, 90, 150]);
    expect(
      lines.every((l) => l.orientation === 'horizontal' && Math.abs(l.slope - tilt) < 1e-6),
    ).toBe(true);
    expect(Math.max(...clean.data)).toBe(0);
  });

  it('takes squared paper alone for paper: no digit', () => {
    expect(() => prepareDigit(squared())).toThrow(NoDigitFoundError);
  });

  it('reads a digit on squared paper as on plain paper: the grid is gone', () => {
    for (const digit of digits.slice(0, 6)) {
      const plain = prepareDigit(
        render({
          width: W,
          height: H,
          paper: flat(),
          ink: { coverage: digitCoverage(digit, 3, 140, 50), colour: BLACK_INK },
        }),
      );
      const onGrid = prepareDigit(squared(digit));
      expect(alignedCorrelation(onGrid.pixels, plain.pixels)).toBeGreaterThan(0.9);
      // Within 10% of the digit's size: where a curve runs along a grid line for a while (the side
      // of a 0), the line's ink taken out takes a little of the stroke's edge with it.
      for (const side of ['width', 'height'] as const)
        expect(Math.abs(onGrid.box[side] - plain.box[side])).toBeLessThanOrEqual(
          0.1 * Math.max(plain.box.width, plain.box.height),
        );
    }
  });

  it('keeps a long strong stroke of the digit that is not a printed line', () => {
    // A bar as dark as the ink across half the picture, on plain paper: a stroke, not a line.
    const bar = (x: number, y: number) => (y >= 100 && y < 108 && x >= 60 && x < 220 ? 1 : 0);
    const prepared = prepareDigit(
      render({ width: W, height: H, paper: flat(), ink: { coverage: bar, colour: BLACK_INK } }),
    );
    expect(prepared.box).toMatchObject({ left: 60, width: 160 });
  });
});
