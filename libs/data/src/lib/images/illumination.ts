import { labelComponents } from './components';
import type { Plane } from './digit-image';
import { closing, downsample, opening, upsample } from './morphology';
import { percentile, quantiles } from './threshold';

/**
 * Illumination: the paper is estimated locally, so a brightness gradient across the sheet or a
 * soft shadow band is part of the paper, not ink. Ink is then measured against the paper under it
 * (as the share of the paper's light it takes away), in every colour channel.
 */

/**
 * Whether the ink is darker than the background. Ink is the minority of pixels, so the
 * background sits at the median and the ink in the longer tail, measured against each pixel's
 * surroundings so that a shadow or a bright patch of the sheet is not taken for it. The tails are
 * compared at 1% of the pixels, then, if they tie there, ever further out: a thin digit small in
 * its frame holds well under 1% of it. A tie at every level is settled by the border, which is
 * background in any sensible picture of one digit.
 */
export function inkIsDark(luma: Plane): boolean {
  // A made picture on a flat ground needs no estimate of the paper around each pixel: the ground
  // is the paper, everywhere.
  const ground = flatGround(luma);
  const relative = ground === undefined ? relativeToSurroundings(luma) : luma.data;
  const [median, ...tails] = quantiles(relative, [0.5, ...TAIL_SHARES.flatMap((q) => [q, 1 - q])]);
  const middle = ground ?? median;
  for (let i = 0; i < tails.length; i += 2) {
    const darkTail = middle - tails[i];
    const lightTail = tails[i + 1] - middle;
    if (Math.abs(darkTail - lightTail) > 0.1) return darkTail > lightTail;
  }
  return borderMedian(luma) > 0.5;
}

/** Shares of the pixels at which the dark and light tails are compared, most robust first. */
const TAIL_SHARES = [0.01, 0.003, 0.001];

/**
 * Each pixel's brightness against the paper's around it: the median of its block, a quarter of
 * the short side wide (wider than strokes, so ink never rules a block), interpolated between
 * blocks. A fall-off of light across the sheet or a shadow band then makes a far shorter tail,
 * and the tails are the ink's even under uneven light.
 */
function relativeToSurroundings(luma: Plane): Float32Array {
  const { width, height, data } = luma;
  const factor = Math.max(1, Math.floor(Math.min(width, height) / 4));
  const columns = Math.ceil(width / factor);
  const rows = Math.ceil(height / factor);
  const medians = new Float32Array(columns * rows);
  const block = new Float32Array(factor * factor);
  for (let by = 0; by < rows; by++)
    for (let bx = 0; bx < columns; bx++) {
      let count = 0;
      for (let y = by * factor; y < Math.min(height, (by + 1) * factor); y++)
        for (let x = bx * factor; x < Math.min(width, (bx + 1) * factor); x++)
          block[count++] = data[y * width + x];
      medians[by * columns + bx] = percentile(block.subarray(0, count), 0.5);
    }
  const paper = upsample(
    { width: columns, height: rows, data: medians },
    factor,
    width,
    height,
  ).data;
  const out = new Float32Array(data.length);
  // r / (1 + r) keeps the ratio r in [0, 1] for the quantiles, with paper (r = 1) at 0.5 and
  // ink half as bright or twice as bright as its paper equally far from it.
  for (let i = 0; i < out.length; i++) {
    const ratio = data[i] / Math.max(0.02, paper[i]);
    out[i] = ratio / (1 + ratio);
  }
  return out;
}

function borderMedian({ width, height, data }: Plane): number {
  const ring = Math.max(1, Math.round(Math.min(width, height) * 0.03));
  const values = new Float32Array(width * height);
  let count = 0;
  for (let y = 0; y < height; y++) {
    const inside = y >= ring && y < height - ring;
    for (let x = 0; x < width; x++)
      if (!inside || x < ring || x >= width - ring) values[count++] = data[y * width + x];
  }
  return percentile(values.subarray(0, count), 0.5);
}

/**
 * The background is estimated on a plane of about this many pixels on its short side: light
 * varies slowly, and the sliding filters are the costliest part of preparing a picture.
 */
const COARSE_SIDE = 64;
/** The window of the closing spans at least this many coarse pixels. */
const WINDOW_CELLS = 8;

/**
 * The background under each pixel: the picture with every stroke narrower than `size` pixels
 * taken out (a closing for dark ink, an opening for light ink), computed on a coarse copy and
 * interpolated back, since light varies slowly.
 */
export function estimateBackground(channel: Plane, darkInk: boolean, size: number): Plane {
  // Coarse enough to be quick, fine enough that the window still spans several coarse pixels.
  const factor = Math.max(
    1,
    Math.floor(Math.min(channel.width, channel.height) / COARSE_SIDE),
    Math.floor(size / WINDOW_CELLS),
  );
  const coarse = downsample(channel, factor);
  const window = Math.max(3, Math.round(size / factor) | 1);
  const background = darkInk ? closing(coarse, window) : opening(coarse, window);
  return upsample(background, factor, channel.width, channel.height);
}

/** Window of the broad estimate, as a share of the short side: wider than any stroke. */
export const BROAD_WINDOW = 0.6;
/** A darkening this strong against the broad estimate is ink: no soft shadow takes this much light. */
const CERTAIN_INK = 0.6;
/** The local window spans this many stroke widths: strokes go, shadows and gradients stay. */
const STROKES_PER_WINDOW = 4;

/**
 * The ink map: for each pixel, how strongly it differs from the paper under it, from 0 (paper) to 1,
 * taking the channel where it differs most, so blue, red or green ink on white or tinted paper reads
 * like black ink, not like its luma. The paper is estimated with a window a few stroke widths wide
 * (measured on the strongest ink), so a shadow band wider than a stroke stays paper; strokes thicker
 * than that window (a felt-tip digit that fills the picture) still count where they differ strongly
 * from the broad estimate.
 */
export function inkContrast(colours: Plane[], luma: Plane, darkInk: boolean): Plane {
  const { width, height } = luma;
  const short = Math.min(width, height);
  const out = new Float32Array(width * height);
  const grounds = colours.map(flatGround);
  if (grounds.every((ground) => ground !== undefined)) {
    colours.forEach((channel, c) =>
      contrastInto(channel.data, new Float32Array(out.length).fill(grounds[c]), darkInk, out),
    );
    return { width, height, data: out };
  }
  // The broad estimate only rescues strong, thick strokes and measures them: luma is enough.
  const broad = estimateBackground(luma, darkInk, short * BROAD_WINDOW).data;
  const wide = new Float32Array(out.length);
  contrastInto(luma.data, broad, darkInk, wide);
  const certain = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) if (wide[i] > CERTAIN_INK) certain[i] = 1;
  dropSoftEdged(certain, { width, height, data: wide });
  for (let i = 0; i < out.length; i++) if (certain[i]) out[i] = wide[i];
  const stroke = strokeWidth(certain, width, height) || probedStrokeWidth(luma, darkInk);
  const window = stroke
    ? Math.min(0.35 * short, Math.max(5, STROKES_PER_WINDOW * stroke))
    : 0.2 * short;
  for (const channel of colours)
    contrastInto(channel.data, estimateBackground(channel, darkInk, window).data, darkInk, out);
  return { width, height, data: out };
}

/** Window of the probe for stroke width, as a share of the short side: a few ballpoint strokes. */
const PROBE_WINDOW = 0.1;

/**
 * The strokes' width when no ink was certain (faint ink, or a digit joined to a deep shadow and
 * dropped with it): measured on the ink against a narrow estimate of the paper, where a shadow,
 * wider than the window, stays paper. 0 when nothing stands out there either.
 */
function probedStrokeWidth(luma: Plane, darkInk: boolean): number {
  const { width, height } = luma;
  const paper = estimateBackground(luma, darkInk, PROBE_WINDOW * Math.min(width, height)).data;
  const contrast = new Float32Array(luma.data.length);
  contrastInto(luma.data, paper, darkInk, contrast);
  const mask = new Uint8Array(contrast.length);
  for (let i = 0; i < mask.length; i++) if (contrast[i] > CERTAIN_INK / 2) mask[i] = 1;
  return strokeWidth(mask, width, height);
}

/** How far outside a patch of certain ink its edge is looked at, in pixels of the analysed plane. */
const EDGE_REACH = 3;
/**
 * A patch whose surroundings, EDGE_REACH pixels out, still differ from the broad estimate by this
 * share of CERTAIN_INK has a soft edge: a deep shadow fading out, not a stroke, which ends within a
 * pixel or two even in a blurred photo.
 */
const SOFT_EDGE = 0.5;

/**
 * Takes out of `certain` every connected patch with a soft edge (see SOFT_EDGE): a shadow deep
 * enough to pass for ink against the broad estimate would otherwise join the digit, reach the
 * border and be dropped with it as a page edge.
 */
export function dropSoftEdged(certain: Uint8Array, contrast: Plane): void {
  const { width, height, data } = contrast;
  const { labels, components } = labelComponents(certain, contrast);
  if (!components.length) return;
  const top = Math.max(...components.map((c) => c.label)) + 1;
  const sum = new Float64Array(top);
  const count = new Uint32Array(top);
  const steps: [number, number][] = [
    [1, 0],
    [-1, 0],
    [0, 1],
    [0, -1],
  ];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const label = labels[y * width + x];
      if (!label) continue;
      for (const [dx, dy] of steps) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height || certain[ny * width + nx]) continue;
        const fx = x + dx * EDGE_REACH;
        const fy = y + dy * EDGE_REACH;
        if (fx < 0 || fy < 0 || fx >= width || fy >= height || certain[fy * width + fx]) continue;
        sum[label] += data[fy * width + fx];
        count[label]++;
      }
    }
  const soft = new Uint8Array(top);
  for (const { label } of components)
    if (count[label] && sum[label] / count[label] > SOFT_EDGE * CERTAIN_INK) soft[label] = 1;
  for (let i = 0; i < labels.length; i++) if (soft[labels[i]]) certain[i] = 0;
}

/** Values this close to the ground's count as ground: under half a step of 8-bit data. */
const FLAT_TOLERANCE = 0.5 / 255;

/**
 * The ground's value when the picture lies on a perfectly flat ground, as made pictures do (an
 * MNIST crop, a canvas export, a digit drawn in an editor): its whole border and at least half its
 * pixels hold one value. Photos and scans never do (their paper has noise), so they take the local
 * estimate; for a made picture that estimate would be this value anyway, at the cost of the
 * sliding filters.
 */
export function flatGround({ width, height, data }: Plane): number | undefined {
  const ground = data[0];
  const same = (v: number) => Math.abs(v - ground) <= FLAT_TOLERANCE;
  for (let x = 0; x < width; x++)
    if (!same(data[x]) || !same(data[(height - 1) * width + x])) return undefined;
  for (let y = 0; y < height; y++)
    if (!same(data[y * width]) || !same(data[y * width + width - 1])) return undefined;
  let count = 0;
  for (let i = 0; i < data.length; i++) if (same(data[i])) count++;
  return count >= data.length / 2 ? ground : undefined;
}

/**
 * The typical width of the strokes in a mask: twice the area over the boundary length (a stroke
 * w wide and L long has area wL and two edges L long). 0 for an empty mask.
 */
export function strokeWidth(mask: Uint8Array, width: number, height: number): number {
  let area = 0;
  let edge = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      area++;
      if (
        x === 0 ||
        y === 0 ||
        x === width - 1 ||
        y === height - 1 ||
        !mask[i - 1] ||
        !mask[i + 1] ||
        !mask[i - width] ||
        !mask[i + width]
      )
        edge++;
    }
  }
  return edge ? (2 * area) / edge : 0;
}

/**
 * Raises each out[i] to the ink's contrast against the background under it: the share of the
 * paper's light the ink takes away (dark ink), or the share of the remaining headroom it adds
 * (light ink), clipped to [0, 1].
 */
function contrastInto(
  values: Float32Array,
  background: Float32Array,
  darkInk: boolean,
  out: Float32Array,
): void {
  if (darkInk) {
    for (let i = 0; i < out.length; i++) {
      const b = background[i];
      const c = 1 - values[i] / (b > 0.02 ? b : 0.02);
      if (c > out[i]) out[i] = c > 1 ? 1 : c;
    }
  } else {
    for (let i = 0; i < out.length; i++) {
      const room = 1 - background[i];
      const c = (values[i] - background[i]) / (room > 0.02 ? room : 0.02);
      if (c > out[i]) out[i] = c > 1 ? 1 : c;
    }
  }
}
