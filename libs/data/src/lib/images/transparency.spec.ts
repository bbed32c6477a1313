import { EmbeddedMnistSource } from '../sources/embedded-source';
import { loadMnist } from '../mnist/mnist-dataset';
import type { RawImage } from './digit-image';
import { prepareDigit } from './prepare-digit';
import { alignedCorrelation, BLACK_INK, digitCoverage, flat, render } from './test-pictures';

let digit: Uint8Array;
beforeAll(async () => {
  const test = (await loadMnist(new EmbeddedMnistSource(), { testLimit: 5 })).test;
  digit = test.images.subarray(3 * 784, 4 * 784);
});

/** A drawing-pad export: `colour` strokes whose alpha is their (soft) coverage. */
function drawing(colour: [number, number, number], opacity: number): RawImage {
  const size = 280;
  const coverage = digitCoverage(digit, 8, 28, 28);
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      data.set(colour, i);
      data[i + 3] = Math.round(coverage(x, y) * opacity * 255);
    }
  return { width: size, height: size, channels: 4, data, maxValue: 255 };
}

describe('transparency', () => {
  it('reads alpha as ink coverage whatever the ink colour, faint strokes included', () => {
    const reference = prepareDigit(
      render({
        width: 280,
        height: 280,
        paper: flat(),
        ink: { coverage: digitCoverage(digit, 8, 28, 28), colour: BLACK_INK },
      }),
    );
    for (const [colour, opacity] of [
      [[0, 0, 0], 1],
      [[255, 255, 255], 1],
      [[200, 30, 30], 0.5],
    ] as const) {
      const prepared = prepareDigit(drawing([...colour], opacity));
      expect(alignedCorrelation(prepared.pixels, reference.pixels)).toBeGreaterThan(0.95);
      // The strokes' cores reach full ink however faint the pen was.
      expect(Math.max(...prepared.pixels)).toBe(255);
    }
  });

  it('keeps the anti-aliased edges soft through crop and resize', () => {
    const prepared = prepareDigit(drawing([0, 0, 0], 1));
    const greys = new Set([...prepared.pixels].filter((v) => v > 0 && v < 255));
    expect(greys.size).toBeGreaterThan(40);
  });
});
