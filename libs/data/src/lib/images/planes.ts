import type { RawImage } from './digit-image';

/** A picture as float planes in [0, 1]: its colours (one gray or three RGB), luma, and alpha. */
export interface ImagePlanes {
  width: number;
  height: number;
  colours: Float32Array[];
  /** Rec. 601 luma, as PIL's convert('L') and most MNIST tooling use. */
  luma: Float32Array;
  /** Present only when some pixel is not opaque. */
  alpha?: Float32Array;
}

/**
 * The picture's planes, shrunk by an integer factor on the way (each new pixel the mean of the
 * factor x factor block it covers), in one pass over the decoded bytes.
 */
export function toPlanes(image: RawImage, factor = 1): ImagePlanes {
  const { width, height, channels, data, maxValue } = image;
  const count = width * height;
  if (data.length < count * channels)
    throw new RangeError(
      `expected ${count * channels} values for ${width}x${height}x${channels}, got ${data.length}`,
    );
  const f = Math.max(1, Math.floor(factor));
  if (f === 1) return unshrunk(image);
  const outWidth = Math.ceil(width / f);
  const outHeight = Math.ceil(height / f);
  const cells = outWidth * outHeight;
  const column = new Int32Array(width);
  for (let x = 0; x < width; x++) column[x] = (x / f) | 0;
  const sums = Array.from({ length: channels }, () => new Float32Array(cells));
  const counts = new Float32Array(cells);
  let transparent = false;
  const alphaAt = channels === 2 || channels === 4 ? channels - 1 : -1;
  const opaque = 0.99 * maxValue;
  const [s0, s1 = s0, s2 = s0, s3 = s0] = sums;
  for (let y = 0; y < height; y++) {
    const row = ((y / f) | 0) * outWidth;
    let at = y * width * channels;
    for (let x = 0; x < width; x++, at += channels) {
      const cell = row + column[x];
      counts[cell]++;
      s0[cell] += data[at];
      if (channels > 1) s1[cell] += data[at + 1];
      if (channels > 2) s2[cell] += data[at + 2];
      if (channels > 3) s3[cell] += data[at + 3];
      if (alphaAt >= 0 && data[at + alphaAt] < opaque) transparent = true;
    }
  }
  for (const plane of sums)
    for (let i = 0; i < cells; i++) plane[i] = plane[i] / counts[i] / maxValue;
  const { colours, luma } = colourPlanes(sums, channels, cells);
  return {
    width: outWidth,
    height: outHeight,
    colours,
    luma,
    alpha: transparent ? sums[alphaAt] : undefined,
  };
}

/**
 * The colour planes and luma. A gray picture stored as RGB (every PNG pngjs decodes, many scans)
 * keeps one plane: the ink is then measured once, not three times over the same values.
 */
function colourPlanes(
  planes: Float32Array[],
  channels: number,
  count: number,
): { colours: Float32Array[]; luma: Float32Array } {
  if (channels < 3) return { colours: [planes[0]], luma: planes[0] };
  const [r, g, b] = planes;
  let gray = true;
  for (let i = 0; i < count && gray; i++) gray = r[i] === g[i] && g[i] === b[i];
  if (gray) return { colours: [r], luma: r };
  const luma = new Float32Array(count);
  for (let i = 0; i < count; i++) luma[i] = 0.299 * r[i] + 0.587 * g[i] + 0.114 * b[i];
  return { colours: [r, g, b], luma };
}

/** The same planes at full size: one pass per channel, no block sums. */
function unshrunk(image: RawImage): ImagePlanes {
  const { width, height, channels, data, maxValue } = image;
  const count = width * height;
  if (channels >= 3 && isOpaqueGray(image)) {
    // Most small uploads (pngjs gives every PNG as RGBA): one plane, not four to compare.
    const luma = new Float32Array(count);
    const scale = 1 / maxValue;
    for (let i = 0, at = 0; i < count; i++, at += channels) luma[i] = data[at] * scale;
    return { width, height, colours: [luma], luma };
  }
  const planes = Array.from({ length: channels }, () => new Float32Array(count));
  const scale = 1 / maxValue;
  for (let c = 0; c < channels; c++) {
    const plane = planes[c];
    for (let i = 0, at = c; i < count; i++, at += channels) plane[i] = data[at] * scale;
  }
  const { colours, luma } = colourPlanes(planes, channels, count);
  let alpha: Float32Array | undefined;
  if (channels === 2 || channels === 4) {
    const plane = planes[channels - 1];
    for (let i = 0; i < count; i++)
      if (plane[i] < 0.99) {
        alpha = plane;
        break;
      }
  }
  return { width, height, colours, luma, alpha };
}

/** Every pixel gray (R = G = B) and, if there is alpha, opaque as toPlanes counts it. */
function isOpaqueGray({ width, height, channels, data, maxValue }: RawImage): boolean {
  const end = width * height * channels;
  const opaque = 0.99 * maxValue;
  for (let at = 0; at < end; at += channels) {
    const red = data[at];
    if (data[at + 1] !== red || data[at + 2] !== red) return false;
    if (channels === 4 && data[at + 3] < opaque) return false;
  }
  return true;
}
