import type { Plane } from './digit-image';

/**
 * Grey-level morphology and resampling on planes: the sliding minimum and maximum
 * (van Herk-Gil-Werman, linear time whatever the window), box downsampling and bilinear upsampling.
 */

/** Work space for sliding one line: the padded line and its block-wise prefix and suffix extrema. */
interface Lanes {
  line: Float32Array;
  prefix: Float32Array;
  suffix: Float32Array;
}

// Sliding extremum along one line by van Herk and Gil-Werman's method: the padded line is cut into
// blocks one window long; any window spans the suffix of one block and the prefix of the next, so
// each value costs three comparisons whatever the window. Two copies so each stays monomorphic.
function slideMax(
  source: Float32Array,
  target: Float32Array,
  start: number,
  step: number,
  length: number,
  radius: number,
  { line, prefix, suffix }: Lanes,
): void {
  const window = 2 * radius + 1;
  const padded = length + 2 * radius;
  line.fill(-Infinity, 0, radius);
  for (let i = 0; i < length; i++) line[radius + i] = source[start + i * step];
  line.fill(-Infinity, radius + length, padded);
  for (let block = 0; block < padded; block += window) {
    const end = Math.min(padded, block + window);
    prefix[block] = line[block];
    for (let j = block + 1; j < end; j++)
      prefix[j] = line[j] > prefix[j - 1] ? line[j] : prefix[j - 1];
    suffix[end - 1] = line[end - 1];
    for (let j = end - 2; j >= block; j--)
      suffix[j] = line[j] > suffix[j + 1] ? line[j] : suffix[j + 1];
  }
  for (let i = 0; i < length; i++) {
    const left = suffix[i];
    const right = prefix[i + 2 * radius];
    target[start + i * step] = left > right ? left : right;
  }
}

function slideMin(
  source: Float32Array,
  target: Float32Array,
  start: number,
  step: number,
  length: number,
  radius: number,
  { line, prefix, suffix }: Lanes,
): void {
  const window = 2 * radius + 1;
  const padded = length + 2 * radius;
  line.fill(Infinity, 0, radius);
  for (let i = 0; i < length; i++) line[radius + i] = source[start + i * step];
  line.fill(Infinity, radius + length, padded);
  for (let block = 0; block < padded; block += window) {
    const end = Math.min(padded, block + window);
    prefix[block] = line[block];
    for (let j = block + 1; j < end; j++)
      prefix[j] = line[j] < prefix[j - 1] ? line[j] : prefix[j - 1];
    suffix[end - 1] = line[end - 1];
    for (let j = end - 2; j >= block; j--)
      suffix[j] = line[j] < suffix[j + 1] ? line[j] : suffix[j + 1];
  }
  for (let i = 0; i < length; i++) {
    const left = suffix[i];
    const right = prefix[i + 2 * radius];
    target[start + i * step] = left < right ? left : right;
  }
}

function filter(input: Plane, size: number, keepLarger: boolean): Plane {
  const { width, height, data } = input;
  const radius = Math.max(0, Math.floor(size / 2));
  if (radius === 0) return { width, height, data: Float32Array.from(data) };
  if (radius === 1) return filter3(input, keepLarger);
  const rows = new Float32Array(data.length);
  const out = new Float32Array(data.length);
  const longest = Math.max(width, height) + 2 * radius;
  const lanes = {
    line: new Float32Array(longest),
    prefix: new Float32Array(longest),
    suffix: new Float32Array(longest),
  };
  const slide = keepLarger ? slideMax : slideMin;
  for (let y = 0; y < height; y++) slide(data, rows, y * width, 1, width, radius, lanes);
  for (let x = 0; x < width; x++) slide(rows, out, x, width, height, radius, lanes);
  return { width, height, data: out };
}

// A 3x3 window (the rim around a digit's strokes) directly: a pixel and its neighbours along one
// axis per pass, without the block bookkeeping that pays off only for wide windows.
function filter3({ width, height, data }: Plane, keepLarger: boolean): Plane {
  const sign = keepLarger ? 1 : -1;
  const rows = new Float32Array(data.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      let best = sign * data[i];
      if (x > 0 && sign * data[i - 1] > best) best = sign * data[i - 1];
      if (x < width - 1 && sign * data[i + 1] > best) best = sign * data[i + 1];
      rows[i] = best;
    }
  }
  const out = new Float32Array(data.length);
  const end = data.length;
  for (let i = 0; i < end; i++) {
    let best = rows[i];
    if (i >= width && rows[i - width] > best) best = rows[i - width];
    if (i + width < end && rows[i + width] > best) best = rows[i + width];
    out[i] = sign * best;
  }
  return { width, height, data: out };
}

/** Each pixel becomes the smallest value in the size x size square around it (erosion). */
export function minFilter(input: Plane, size: number): Plane {
  return filter(input, size, false);
}

/** Each pixel becomes the largest value in the size x size square around it (dilation). */
export function maxFilter(input: Plane, size: number): Plane {
  return filter(input, size, true);
}

/** Removes bright features narrower than `size` (erosion, then dilation). */
export function opening(input: Plane, size: number): Plane {
  return maxFilter(minFilter(input, size), size);
}

/** Removes dark features narrower than `size` (dilation, then erosion). */
export function closing(input: Plane, size: number): Plane {
  return minFilter(maxFilter(input, size), size);
}

/** The mean of each factor x factor block (the last blocks may be partial). */
export function downsample(input: Plane, factor: number): Plane {
  if (factor <= 1) return input;
  const { width: inWidth, height: inHeight, data } = input;
  const width = Math.ceil(inWidth / factor);
  const height = Math.ceil(inHeight / factor);
  const sums = new Float32Array(width * height);
  for (let y = 0; y < inHeight; y++) {
    const row = ((y / factor) | 0) * width;
    let at = y * inWidth;
    for (let bx = 0; bx < width; bx++) {
      const end = Math.min(inWidth, (bx + 1) * factor) + y * inWidth;
      let sum = 0;
      for (; at < end; at++) sum += data[at];
      sums[row + bx] += sum;
    }
  }
  for (let by = 0; by < height; by++) {
    const rows = Math.min(inHeight, (by + 1) * factor) - by * factor;
    for (let bx = 0; bx < width; bx++) {
      const columns = Math.min(inWidth, (bx + 1) * factor) - bx * factor;
      sums[by * width + bx] /= rows * columns;
    }
  }
  return { width, height, data: sums };
}

/** Bilinear interpolation of a plane made by downsample(…, factor) back to width x height. */
export function upsample(input: Plane, factor: number, width: number, height: number): Plane {
  if (factor <= 1) return input;
  const taps = (size: number, coarse: number) => {
    const first = new Int32Array(size);
    const second = new Int32Array(size);
    const weight = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const s = Math.min(coarse - 1, Math.max(0, (i + 0.5) / factor - 0.5));
      first[i] = Math.floor(s);
      second[i] = Math.min(coarse - 1, first[i] + 1);
      weight[i] = s - first[i];
    }
    return { first, second, weight };
  };
  const tx = taps(width, input.width);
  const ty = taps(height, input.height);
  const coarse = input.data;
  const coarseWidth = input.width;
  // Separable: rows are blended on the coarse grid first (a factor fewer columns), then stretched.
  const blended = new Float32Array(coarseWidth);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const a = ty.first[y] * coarseWidth;
    const b = ty.second[y] * coarseWidth;
    const f = ty.weight[y];
    for (let x = 0; x < coarseWidth; x++)
      blended[x] = coarse[a + x] + (coarse[b + x] - coarse[a + x]) * f;
    const to = y * width;
    for (let x = 0; x < width; x++) {
      const left = blended[tx.first[x]];
      out[to + x] = left + (blended[tx.second[x]] - left) * tx.weight[x];
    }
  }
  return { width, height, data: out };
}
