import { redrawWithPen } from '@mnist-mlops/testing';
import type { Plane } from './digit-image';
import { prepareDigit } from './prepare-digit';
import { meanStrokeWidth, widenThinStrokes } from './stroke-width';
import {
  BLACK_INK,
  alignedCorrelation,
  digitCoverage,
  flat,
  render,
  testDigits,
} from './test-pictures';

let digits: Uint8Array[];
beforeAll(async () => {
  digits = await testDigits(20);
});

const SIZE = 336;
/** A test digit redrawn on white paper with a pen `share` of the canvas wide. */
function penDigit(digit: Uint8Array, share: number) {
  // The centre line is found on the digit enlarged 4 times, then drawn at full size.
  const shapeSize = 112;
  const enlarged = digitCoverage(digit, shapeSize / 28, 0, 0);
  const shape = Uint8Array.from({ length: shapeSize * shapeSize }, (_, i) =>
    Math.round(255 * enlarged(i % shapeSize, Math.floor(i / shapeSize))),
  );
  const ink = redrawWithPen(shape, shapeSize, share * SIZE, SIZE);
  const margin = 40;
  const side = SIZE + 2 * margin;
  return render({
    width: side,
    height: side,
    paper: flat(),
    ink: {
      coverage: (x, y) => {
        const sx = x - margin;
        const sy = y - margin;
        return sx < 0 || sy < 0 || sx >= SIZE || sy >= SIZE ? 0 : ink[sy * SIZE + sx];
      },
      colour: BLACK_INK,
    },
  });
}

const whole = (plane: Plane) => ({ left: 0, top: 0, width: plane.width, height: plane.height });

/** The box of every pixel with any ink. */
function inkBox({ width, height, data }: Plane) {
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (data[y * width + x] > 0) {
        left = Math.min(left, x);
        top = Math.min(top, y);
        right = Math.max(right, x);
        bottom = Math.max(bottom, y);
      }
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

describe('stroke width', () => {
  it('measures the width of straight strokes in any direction, soft edges included', () => {
    const size = 80;
    for (const pen of [1.5, 3, 6]) {
      for (const angle of [0, Math.PI / 6, Math.PI / 4, Math.PI / 2]) {
        // A long anti-aliased bar through the centre.
        const data = Float32Array.from({ length: size * size }, (_, i) => {
          const x = (i % size) - size / 2;
          const y = Math.floor(i / size) - size / 2;
          const across = Math.abs(-Math.sin(angle) * x + Math.cos(angle) * y);
          const along = Math.abs(Math.cos(angle) * x + Math.sin(angle) * y);
          return along > 30 ? 0 : Math.min(1, Math.max(0, pen / 2 + 0.5 - across));
        });
        const plane = { width: size, height: size, data };
        const measured = meanStrokeWidth(plane, whole(plane));
        expect(measured).toBeGreaterThan(pen * 0.75);
        expect(measured).toBeLessThan(pen * 1.3);
      }
    }
  });

  it("leaves MNIST's own pens as they are", () => {
    let untouched = 0;
    for (const digit of digits) {
      const plane = { width: 28, height: 28, data: Float32Array.from(digit, (v) => v / 255) };
      if (widenThinStrokes(plane, inkBox(plane)).ink === plane) untouched++;
    }
    expect(untouched).toBeGreaterThanOrEqual(19);
  });

  it('widens a fine liner to an MNIST pen, and reads it like the same digit in a felt-tip', () => {
    for (const digit of digits.slice(0, 6)) {
      const felt = prepareDigit(penDigit(digit, 0.11));
      const fine = prepareDigit(penDigit(digit, 0.02));
      const field = { width: 28, height: 28, data: Float32Array.from(fine.pixels, (v) => v / 255) };
      // In the 20x20 box an MNIST pen is 1.6 to 3.5 pixels wide.
      expect(meanStrokeWidth(field, whole(field))).toBeGreaterThan(1.6);
      expect(alignedCorrelation(fine.pixels, felt.pixels)).toBeGreaterThan(0.8);
    }
  });
});
