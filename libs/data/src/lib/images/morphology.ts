import type { Plane } from './digit-image';

/**
 * Grey-level morphology and resampling on planes: the sliding minimum and maximum (a monotonic
 * queue, linear time whatever the window), box downsampling and bilinear upsampling.
 */

// Sliding extremum along one line (a monotonic queue of indices, linear time); two copies so that
// each stays monomorphic and fast.
function slideMax(
  source: Float32Array,
  target: Float32Array,
  start: number,
  step: number,
  length: number,
  radius: number,
  queue: Int32Array,
): void {
  let head = 0;
  let tail = 0;
  let next = 0;
  for (let i = 0; i < length; i++) {
    const reach = Math.min(length - 1, i + radius);
    for (; next <= reach; next++) {
      const v = source[start + next * step];
      while (tail > head && v >= source[start + queue[tail - 1] * step]) tail--;
      queue[tail++] = next;
    }
    while (queue[head] < i - radius) head++;
    target[start + i * step] = source[start + queue[head] * step];
  }
}

function slideMin(
  source: Float32Array,
  target: Float32Array,
  start: number,
  step: number,
  length: number,
  radius: number,
  queue: Int32Array,
): void {
  let head = 0;
  let tail = 0;
  let next = 0;
  for (let i = 0; i < length; i++) {
    const reach = Math.min(length - 1, i + radius);
    for (; next <= reach; next++) {
      const v = source[start + next * step];
      while (tail > head && v <= source[start + queue[tail - 1] * step]) tail--;
      queue[tail++] = next;
    }
    while (queue[head] < i - radius) head++;
    target[start + i * step] = source[start + queue[head] * step];
  }
}

function filter(input: Plane, size: number, keepLarger: boolean): Plane {
  const { width, height, data } = input;
  const radius = Math.max(0, Math.floor(size / 2));
  if (radius === 0) return { width, height, data: Float32Array.from(data) };
  const rows = new Float32Array(data.length);
  const out = new Float32Array(data.length);
  const queue = new Int32Array(Math.max(width, height));
  const slide = keepLarger ? slideMax : slideMin;
  for (let y = 0; y < height; y++) slide(data, rows, y * width, 1, width, radius, queue);
  for (let x = 0; x < width; x++) slide(rows, out, x, width, height, radius, queue);
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
  const width = Math.ceil(input.width / factor);
  const height = Math.ceil(input.height / factor);
  const sums = new Float32Array(width * height);
  const counts = new Float32Array(width * height);
  const column = new Int32Array(input.width);
  for (let x = 0; x < input.width; x++) column[x] = (x / factor) | 0;
  for (let y = 0; y < input.height; y++) {
    const row = ((y / factor) | 0) * width;
    const from = y * input.width;
    for (let x = 0; x < input.width; x++) {
      sums[row + column[x]] += input.data[from + x];
      counts[row + column[x]]++;
    }
  }
  for (let i = 0; i < sums.length; i++) sums[i] /= counts[i];
  return { width, height, data: sums };
}

/** Bilinear interpolation of a plane made by downsample(…, factor) back to width x height. */
export function upsample(input: Plane, factor: number, width: number, height: number): Plane {
  if (factor <= 1) return input;
  // Separable: each coarse row is stretched once, then rows are blended.
  const taps = (size: number, coarse: number) => {
    const first = new Int32Array(size);
    const weight = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const s = Math.min(coarse - 1, Math.max(0, (i + 0.5) / factor - 0.5));
      first[i] = Math.floor(s);
      weight[i] = s - first[i];
    }
    return { first, weight };
  };
  const tx = taps(width, input.width);
  const ty = taps(height, input.height);
  const rows = new Float32Array(input.height * width);
  for (let y = 0; y < input.height; y++) {
    const from = y * input.width;
    const to = y * width;
    for (let x = 0; x < width; x++) {
      const x0 = tx.first[x];
      const x1 = Math.min(input.width - 1, x0 + 1);
      rows[to + x] =
        input.data[from + x0] + (input.data[from + x1] - input.data[from + x0]) * tx.weight[x];
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const a = ty.first[y] * width;
    const b = Math.min(input.height - 1, ty.first[y] + 1) * width;
    const f = ty.weight[y];
    const to = y * width;
    for (let x = 0; x < width; x++) out[to + x] = rows[a + x] + (rows[b + x] - rows[a + x]) * f;
  }
  return { width, height, data: out };
}
