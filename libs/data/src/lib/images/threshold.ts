import type { Plane } from './digit-image';

const BINS = 4096;
/** Shared by every call (each fills it before use): a small picture takes several quantiles. */
const HISTOGRAM = new Uint32Array(BINS);

/** The q-quantile of values in [0, 1], from a fine histogram (linear time, no sort). */
export function percentile(values: Float32Array, q: number): number {
  return quantiles(values, [q])[0];
}

/** Several quantiles of values in [0, 1] from one histogram. */
export function quantiles(values: Float32Array, qs: number[]): number[] {
  // No finer than the values can fill: a small picture needs no 4,096 bins.
  let bins = 256;
  while (bins < BINS && bins < values.length) bins *= 2;
  const histogram = HISTOGRAM.subarray(0, bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const bin = (values[i] * bins) | 0;
    histogram[bin < 0 ? 0 : bin >= bins ? bins - 1 : bin]++;
  }
  // One sweep of the histogram for all the shares, in rising order.
  const order = qs.map((_, i) => i).sort((a, b) => qs[a] - qs[b]);
  const out = new Array<number>(qs.length).fill(1);
  let seen = 0;
  let bin = 0;
  for (const i of order) {
    const target = qs[i] * (values.length - 1);
    while (bin < bins && seen + histogram[bin] <= target) seen += histogram[bin++];
    if (bin < bins) out[i] = (bin + 0.5) / bins;
  }
  return out;
}

/** Otsu's threshold on a 256-bin histogram of values in [0, 1]. */
export function otsuThreshold(values: Float32Array): number {
  const histogram = new Float64Array(256);
  for (let i = 0; i < values.length; i++)
    histogram[Math.min(255, Math.max(0, Math.floor(values[i] * 255)))]++;
  const total = values.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * histogram[i];
  let sumBackground = 0;
  let weightBackground = 0;
  let best = 0;
  let threshold = 0;
  for (let i = 0; i < 256; i++) {
    weightBackground += histogram[i];
    if (weightBackground === 0) continue;
    const weightForeground = total - weightBackground;
    if (weightForeground === 0) break;
    sumBackground += i * histogram[i];
    const meanBackground = sumBackground / weightBackground;
    const meanForeground = (sumAll - sumBackground) / weightForeground;
    const between = weightBackground * weightForeground * (meanBackground - meanForeground) ** 2;
    if (between > best) {
      best = between;
      threshold = i;
    }
  }
  return (threshold + 0.5) / 255;
}

/** Where an ink map's background sits, how much it wavers, and how strong its strokes are. */
export interface InkLevels {
  /** The typical value of paper (the median). */
  paper: number;
  /** The spread of paper values (noise, texture), robustly from the middle quantiles. */
  noise: number;
  /** The value the strongest strokes reach. */
  stroke: number;
}

/** So many of the strongest pixels at least are taken for the strokes' level (see inkLevels). */
const STROKE_PIXELS = 12;

export function inkLevels(ink: Float32Array): InkLevels {
  // Ink covers a minority of the picture, so the 40th-60th quantiles are paper: for Gaussian
  // noise they are 0.507 standard deviations apart.
  // The strokes' level is what the strongest 0.05% reach, or the strongest STROKE_PIXELS when
  // that is fewer: a digit far away in a photo holds only a few dozen pixels of the picture.
  const strongest = Math.max(0.9995, 1 - STROKE_PIXELS / Math.max(1, ink.length));
  const [low, paper, high, stroke] = quantiles(ink, [0.4, 0.5, 0.6, strongest]);
  return { paper, noise: (high - low) / 0.507, stroke };
}

/**
 * Hysteresis thresholding: pixels above `high` are ink for sure, and pixels above `low` are ink
 * when they connect (8-neighbours) to one of those. Faint stroke edges stay joined to their stroke;
 * faint specks on their own do not become ink.
 */
export function hysteresis(ink: Plane, low: number, high: number): Uint8Array {
  const { width, height, data } = ink;
  const mask = new Uint8Array(data.length);
  const stack = new Int32Array(data.length);
  let top = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] > high && !mask[i]) {
      mask[i] = 1;
      stack[top++] = i;
      while (top > 0) {
        const at = stack[--top];
        const x = at % width;
        const y = (at - x) / width;
        for (let dy = -1; dy <= 1; dy++) {
          const ny = y + dy;
          if (ny < 0 || ny >= height) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const nx = x + dx;
            if (nx < 0 || nx >= width) continue;
            const n = ny * width + nx;
            if (!mask[n] && data[n] > low) {
              mask[n] = 1;
              stack[top++] = n;
            }
          }
        }
      }
    }
  }
  return mask;
}
