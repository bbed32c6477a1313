import { EmbeddedMnistSource } from '../sources/embedded-source';
import { loadMnist, type LabeledImages } from '../mnist/mnist-dataset';
import { withFlaggedOnes } from './flagged-ones';

const PIXELS = 784;
const digitAt = (data: LabeledImages, i: number) =>
  data.images.subarray(i * PIXELS, (i + 1) * PIXELS);
const changed = (a: LabeledImages, b: LabeledImages, i: number) =>
  digitAt(a, i).some((v, p) => v !== digitAt(b, i)[p]);
const indicesOf = (data: LabeledImages, label: number) =>
  Array.from(data.labels.keys()).filter((i) => data.labels[i] === label);

/** Ink (above half strength) in the rectangle [x0, x1) x [y0, y1) of a 28x28 digit. */
function inkIn(digit: Uint8Array, x0: number, x1: number, y0: number, y1: number): number {
  let count = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (digit[y * 28 + x] >= 128) count++;
  return count;
}

/** The first and last rows of the digit's ink. */
function extent(digit: Uint8Array): { top: number; bottom: number } {
  let top = 28;
  let bottom = -1;
  for (let y = 0; y < 28; y++)
    for (let x = 0; x < 28; x++)
      if (digit[y * 28 + x] >= 128) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
  return { top, bottom };
}

describe('withFlaggedOnes (the 1 as much of the world writes it)', () => {
  let mnist: LabeledImages;
  beforeAll(async () => {
    mnist = (await loadMnist(new EmbeddedMnistSource(), { trainLimit: 3000, testLimit: 1 })).train;
  });

  it('is the identity at share 0', () => {
    expect(withFlaggedOnes(mnist, 0, 42)).toBe(mnist);
  });

  it('redraws about the share of the 1s, never another digit, and keeps every label', () => {
    const styled = withFlaggedOnes(mnist, 0.3, 42);
    expect(styled.labels).toEqual(mnist.labels);
    expect(styled.count).toBe(mnist.count);
    for (let i = 0; i < mnist.count; i++)
      if (mnist.labels[i] !== 1) expect(changed(mnist, styled, i)).toBe(false);
    const ones = indicesOf(mnist, 1);
    const share = ones.filter((i) => changed(mnist, styled, i)).length / ones.length;
    // Leftward-leaning 1s keep their plain style, so a little under the share.
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
    // The input is left as it was: a new array.
    expect(styled.images).not.toBe(mnist.images);
  });

  it('repeats with the same seed and picks other digits with another', () => {
    const a = withFlaggedOnes(mnist, 0.3, 42);
    const b = withFlaggedOnes(mnist, 0.3, 42);
    const c = withFlaggedOnes(mnist, 0.3, 7);
    expect(Buffer.from(a.images).equals(Buffer.from(b.images))).toBe(true);
    expect(Buffer.from(a.images).equals(Buffer.from(c.images))).toBe(false);
  });

  it('gives a 1 a flag down to the left of its top', () => {
    const styled = withFlaggedOnes(mnist, 1, 42);
    let flagged = 0;
    const ones = indicesOf(mnist, 1).filter((i) => changed(mnist, styled, i));
    for (const i of ones) {
      const before = extent(digitAt(mnist, i));
      const after = extent(digitAt(styled, i));
      // Re-centred by mass, so compare shapes: the top third of the digit holds the flag.
      const topBand = (digit: Uint8Array, e: { top: number; bottom: number }) =>
        inkIn(digit, 0, 28, e.top, e.top + Math.ceil((e.bottom - e.top) / 3));
      if (topBand(digitAt(styled, i), after) >= topBand(digitAt(mnist, i), before) + 3) flagged++;
    }
    expect(ones.length).toBeGreaterThan(100);
    expect(flagged / ones.length).toBeGreaterThan(0.9);
  });
});
