/**
 * Synthetic pictures for the preprocessing specs: an MNIST digit drawn onto paper of any colour
 * and light, with lines, specks or frames, each built to isolate one step. Test support only
 * (not exported from the library).
 */
import { loadMnist } from '../mnist/mnist-dataset';
import { EmbeddedMnistSource } from '../sources/embedded-source';
import { MNIST_SIZE, type RawImage } from './digit-image';

export type Rgb = [number, number, number];

export interface Scene {
  width: number;
  height: number;
  /** The paper's colour at (x, y), 0-255 per channel. */
  paper: (x: number, y: number) => Rgb;
  /** Ink coverage (0-1) at (x, y) and its colour. */
  ink?: { coverage: (x: number, y: number) => number; colour: Rgb };
  /** Extra marks: coverage 0-1 of a mark colour at (x, y). */
  marks?: { coverage: (x: number, y: number) => number; colour: Rgb }[];
}

/** Renders a scene: paper, then each mark and the ink multiplied onto it, as ink on paper is. */
export function render(scene: Scene): RawImage {
  const { width, height } = scene;
  const data = new Uint8Array(width * height * 3);
  const layers = [...(scene.marks ?? []), ...(scene.ink ? [scene.ink] : [])];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = scene.paper(x, y).map((v) => v / 255);
      for (const layer of layers) {
        const a = Math.min(1, Math.max(0, layer.coverage(x, y)));
        for (let c = 0; c < 3; c++) colour[c] *= 1 - a + (a * layer.colour[c]) / 255;
      }
      for (let c = 0; c < 3; c++)
        data[(y * width + x) * 3 + c] = Math.round(Math.min(1, colour[c]) * 255);
    }
  }
  return { width, height, channels: 3, data, maxValue: 255 };
}

/** An MNIST digit's coverage, enlarged `scale` times (bilinear) with its top-left at (left, top). */
export function digitCoverage(
  digit: Uint8Array,
  scale: number,
  left: number,
  top: number,
): (x: number, y: number) => number {
  return (x, y) => {
    const sx = (x - left) / scale - 0.5;
    const sy = (y - top) / scale - 0.5;
    if (sx < -1 || sy < -1 || sx > MNIST_SIZE || sy > MNIST_SIZE) return 0;
    const x0 = Math.floor(sx);
    const y0 = Math.floor(sy);
    const fx = sx - x0;
    const fy = sy - y0;
    const at = (a: number, b: number) =>
      a >= 0 && b >= 0 && a < MNIST_SIZE && b < MNIST_SIZE ? digit[b * MNIST_SIZE + a] / 255 : 0;
    return (
      (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) +
      (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy
    );
  };
}

export const WHITE_PAPER: Rgb = [235, 235, 230];
export const BLACK_INK: Rgb = [20, 20, 25];

/** Plain paper of one colour. */
export const flat =
  (colour: Rgb = WHITE_PAPER) =>
  (): Rgb =>
    colour;

/** Paper lit from one corner: brightness falling to `darkest` of its full value at the far one. */
export const gradient =
  (width: number, height: number, darkest: number, colour: Rgb = WHITE_PAPER) =>
  (x: number, y: number): Rgb => {
    const light = 1 - (1 - darkest) * (Math.hypot(x / width, y / height) / Math.SQRT2);
    return colour.map((v) => v * light) as Rgb;
  };

/** Paper with a soft shadow band across it, `depth` darker in the middle of the band. */
export const shadowBand =
  (height: number, depth: number, colour: Rgb = WHITE_PAPER) =>
  (x: number, y: number): Rgb => {
    const across = Math.abs(y - height * 0.55 - x * 0.1) - height * 0.12;
    const shade = 1 - depth / (1 + Math.exp(across / (height * 0.04)));
    return colour.map((v) => v * shade) as Rgb;
  };

/** Squared paper: lines `thickness` wide every `spacing` pixels both ways. */
export function gridLines(spacing: number, thickness: number): (x: number, y: number) => number {
  return (x, y) => (x % spacing < thickness || y % spacing < thickness ? 1 : 0);
}

/** Pearson correlation of two images: 1 when they match up to brightness and contrast. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

/** The best correlation over shifts of up to one pixel: centring by mass may round either way. */
export function alignedCorrelation(prepared: Uint8Array, original: Uint8Array): number {
  let best = -1;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const shifted = new Uint8Array(784);
      for (let y = 0; y < MNIST_SIZE; y++)
        for (let x = 0; x < MNIST_SIZE; x++) {
          const sx = x + dx;
          const sy = y + dy;
          if (sx >= 0 && sy >= 0 && sx < MNIST_SIZE && sy < MNIST_SIZE)
            shifted[y * MNIST_SIZE + x] = prepared[sy * MNIST_SIZE + sx];
        }
      best = Math.max(best, correlation(shifted, original));
    }
  }
  return best;
}

/** The first `count` digits of the MNIST test set, which no model trained on. */
export async function testDigits(count: number): Promise<Uint8Array[]> {
  const test = (await loadMnist(new EmbeddedMnistSource(), { testLimit: count })).test;
  return Array.from({ length: count }, (_, i) => test.images.subarray(i * 784, (i + 1) * 784));
}
