import type { Box, RawImage } from './digit-image';

/**
 * Tight crops: a picture whose strokes run into its edges (another data set's digits, scaled to
 * fill their box; a digit drawn to the edges of a canvas; a crop to the digit) is given a margin of
 * its own paper before it is read, so the digit is not taken for a page edge cut by the frame and
 * the paper is found around it. Small pictures and transparent canvases are padded before they are
 * read (`padTightCrop`). A bigger picture on paper is read as it is first, since what runs into its
 * edges is as likely a desk, a page edge, a shadow or the lines of the paper; only when that finds
 * nothing, a speck, a digit that runs into the frame or a page edge as strong as the digit is it
 * read again with a margin, and only if what meets its edges looks like pen strokes cut by the
 * frame (`padCutDigit`). A picture whose border is all paper (an MNIST crop) is left as it is.
 */

/** Pictures up to this many pixels on their long side can be tight crops of one digit. */
export const TIGHT_CROP_SIDE = 64;
/** Ink reaches the border when its values differ from the border's median by this much (0-1). */
const BORDER_INK = 0.25;
/** Ink this close to an edge (a share of the long side) reaches it. */
const NEAR_EDGE = 0.02;
/** A made picture: this share of its border holds one value exactly, where photos have noise. */
const FLAT_BORDER = 0.3;
/** A desk or a page edge covers this share of a long side... */
const DESK_SIDE = 0.9;
/** ...and of the line this far in (a share of the long side, at least 2 pixels). */
const DESK_DEPTH = 0.08;
/** Strokes cut by the frame meet it at most this many times... */
const CUT_STROKES = 8;
/** ...never along this share of a side or more (a desk, a page edge, a frame)... */
const CUT_ALONG = 0.9;
/**
 * ...and rise from paper to full strength within this share of the long side: an MNIST digit
 * enlarged to fill its box within about 0.04-0.07, a sharper pen's stroke sooner; a soft shadow
 * band or a gradient takes a tenth of the picture or more.
 */
const CUT_SOFTNESS = 0.085;
/** The rise is measured on a grid up to this many cells wide, in a band this deep along the edges... */
const SOFTNESS_GRID = 256;
const EDGE_BAND = 0.03;
/** ...as differences over this span (a share of the long side; a pixel at least). */
const SLOPE_SPAN = 0.01;
/** The margin added on every side, as a share of the long side. */
const MARGIN = 0.25;

/** A picture with a margin of its paper, and where the original sits in it. */
export interface PaddedPicture {
  image: RawImage;
  offset: number;
}

/** A small picture or a transparent canvas whose strokes run into its edges, padded; or undefined. */
export function padTightCrop(image: RawImage): PaddedPicture | undefined {
  const border = readBorder(image);
  if (!border.inkOnBorder) return undefined;
  if (!border.transparent) {
    if (Math.max(image.width, image.height) > TIGHT_CROP_SIDE) return undefined;
    if (hasDesk(image, border.ground)) return undefined;
  }
  return pad(image, border);
}

/**
 * A bigger picture on paper whose first reading was doubtful (see prepareDigit), padded if
 * what meets its edges is a few sharp-edged strokes (see CUT_STROKES, CUT_ALONG, CUT_SOFTNESS);
 * undefined if it looks like a desk, a page edge, a shadow, a gradient or ruled paper instead.
 */
export function padCutDigit(image: RawImage): PaddedPicture | undefined {
  const border = readBorder(image);
  if (!border.inkOnBorder || border.transparent || hasDesk(image, border.ground)) return undefined;
  const lengths = [image.width, image.height, image.width, image.height];
  const runs = border.sides.map(inkRuns);
  if (runs.reduce((sum, side) => sum + side.length, 0) > CUT_STROKES) return undefined;
  if (runs.some((side, s) => side.some((run) => run >= CUT_ALONG * lengths[s]))) return undefined;
  if (edgeSoftness(image, border.ground) > CUT_SOFTNESS) return undefined;
  return pad(image, border);
}

interface Border {
  /** Where each border pixel's values start in the data. */
  ring: number[];
  /** Per border pixel: luma, or alpha on a transparent canvas (0-1). */
  values: number[];
  ground: number;
  transparent: boolean;
  /**
   * Along each side (top, right, bottom, left), how far the picture departs from the ground
   * within NEAR_EDGE of it: a stroke that stops a pixel short of the edge, its anti-aliased rim
   * all that touches it, was cut by the frame all the same.
   */
  sides: Float32Array[];
  inkOnBorder: boolean;
}

function readBorder(image: RawImage): Border {
  const { width, height, channels, data, maxValue } = image;
  const hasAlpha = channels === 2 || channels === 4;
  const ring = borderOffsets(image);
  const alphaOnBorder = hasAlpha ? ring.map((at) => data[at + channels - 1] / maxValue) : [];
  // A transparent canvas: ink is coverage, and reaches the border where alpha does.
  const transparent = hasAlpha && median(alphaOnBorder) < 0.5;
  const valueAt = transparent
    ? (at: number) => data[at + channels - 1] / maxValue
    : (at: number) => lumaAt(data, at, channels) / maxValue;
  const values = ring.map(valueAt);
  const ground = median(values);
  const depth = Math.max(
    0,
    Math.min(
      Math.floor(NEAR_EDGE * Math.max(width, height)),
      Math.floor((Math.min(width, height) - 1) / 2),
    ),
  );
  // Plain loops: this runs for every picture served, most of them small.
  const departure = (pixel: number) => Math.abs(valueAt(pixel * channels) - ground);
  const top = new Float32Array(width);
  const bottom = new Float32Array(width);
  const left = new Float32Array(height);
  const right = new Float32Array(height);
  for (let inset = 0; inset <= depth; inset++) {
    for (let x = 0; x < width; x++) {
      top[x] = Math.max(top[x], departure(inset * width + x));
      bottom[x] = Math.max(bottom[x], departure((height - 1 - inset) * width + x));
    }
    for (let y = 0; y < height; y++) {
      left[y] = Math.max(left[y], departure(y * width + inset));
      right[y] = Math.max(right[y], departure(y * width + width - 1 - inset));
    }
  }
  const sides = [top, right, bottom, left];
  const inkOnBorder = sides.some((line) => line.some((v) => v > BORDER_INK));
  return { ring, values, ground, transparent, sides, inkOnBorder };
}

function pad(image: RawImage, { ring, values, transparent }: Border): PaddedPicture {
  const { width, height, channels, data, maxValue } = image;
  // A made picture's ground is the value its border holds most (the median may be a soft edge).
  const common = mostCommon(values);
  const flat = common.count >= FLAT_BORDER * values.length;
  const offset = Math.max(1, Math.round(MARGIN * Math.max(width, height)));
  const outWidth = width + 2 * offset;
  const outHeight = height + 2 * offset;
  const out = new (data.constructor as { new (n: number): RawImage['data'] })(
    outWidth * outHeight * channels,
  );
  // The paper: nothing on a canvas; a made picture's ground; else the border's median colour.
  const paper = transparent
    ? new Array<number>(channels).fill(0)
    : colourAt(image, flat ? ring[common.index] : medianPixel(image, ring));
  for (let i = 0; i < outWidth * outHeight; i++)
    for (let c = 0; c < channels; c++) out[i * channels + c] = paper[c];
  for (let y = 0; y < height; y++)
    out.set(
      data.subarray(y * width * channels, (y + 1) * width * channels),
      ((y + offset) * outWidth + offset) * channels,
    );
  return { image: { width: outWidth, height: outHeight, channels, data: out, maxValue }, offset };
}

/** A box found in the padded picture, in the original's pixels. */
export function unpadBox(box: Box, offset: number, image: { width: number; height: number }): Box {
  const left = Math.min(image.width - 1, Math.max(0, box.left - offset));
  const top = Math.min(image.height - 1, Math.max(0, box.top - offset));
  const right = Math.min(image.width, Math.max(left + 1, box.left + box.width - offset));
  const bottom = Math.min(image.height, Math.max(top + 1, box.top + box.height - offset));
  return { left, top, width: right - left, height: bottom - top };
}

function lumaAt(data: RawImage['data'], at: number, channels: number): number {
  return channels >= 3 ? 0.299 * data[at] + 0.587 * data[at + 1] + 0.114 * data[at + 2] : data[at];
}

function median(values: number[]): number {
  // A typed array sorts numerically without a comparator call per step.
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * A desk or a page edge beyond the sheet along one of the long sides: ink along nearly all of the
 * side, and still on the line a little further in. Strokes cut by the frame meet it over shorter
 * stretches; the short side of a narrow crop (a 1, which fills it) is not looked at.
 */
function hasDesk(image: RawImage, ground: number): boolean {
  const { width, height, channels, data, maxValue } = image;
  const long = Math.max(width, height);
  const depth = Math.max(2, Math.round(long * DESK_DEPTH));
  if (depth >= Math.min(width, height)) return false;
  const inkShare = (count: number, at: (k: number) => number) => {
    let ink = 0;
    for (let k = 0; k < count; k++)
      if (Math.abs(lumaAt(data, at(k), channels) / maxValue - ground) > BORDER_INK) ink++;
    return ink / count;
  };
  const row = (y: number) => (x: number) => (y * width + x) * channels;
  const column = (x: number) => (y: number) => (y * width + x) * channels;
  const sides: [number, (inset: number) => (k: number) => number][] = [
    [width, (inset) => row(inset)],
    [width, (inset) => row(height - 1 - inset)],
    [height, (inset) => column(inset)],
    [height, (inset) => column(width - 1 - inset)],
  ];
  return sides.some(
    ([length, line]) =>
      length >= 0.5 * long &&
      inkShare(length, line(0)) >= DESK_SIDE &&
      inkShare(length, line(depth)) >= DESK_SIDE,
  );
}

/**
 * How far the ink along the edges takes to rise from the paper to its full strength where it rises
 * steepest, as a share of the long side (see CUT_SOFTNESS), on a coarse grid.
 */
function edgeSoftness(image: RawImage, ground: number): number {
  const { width, height, channels, data, maxValue } = image;
  const step = Math.max(1, Math.floor(Math.max(width, height) / SOFTNESS_GRID));
  const w = Math.ceil(width / step);
  const h = Math.ceil(height / step);
  const long = Math.max(w, h);
  const depth = Math.max(2, Math.round(EDGE_BAND * long));
  const span = Math.max(1, Math.round(SLOPE_SPAN * long));
  const ink = (x: number, y: number) =>
    Math.abs(lumaAt(data, (y * step * width + x * step) * channels, channels) / maxValue - ground);
  let strongest = 0;
  let steepest = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (x >= depth && y >= depth && x < w - depth && y < h - depth) continue;
      strongest = Math.max(strongest, ink(x, y));
      const across = x >= span && x < w - span ? Math.abs(ink(x + span, y) - ink(x - span, y)) : 0;
      const down = y >= span && y < h - span ? Math.abs(ink(x, y + span) - ink(x, y - span)) : 0;
      steepest = Math.max(steepest, Math.max(across, down) / (2 * span));
    }
  return steepest ? strongest / steepest / long : 1;
}

/** The lengths of the stretches of a side where the picture stands out from the ground. */
function inkRuns(departure: Float32Array): number[] {
  const length = departure.length;
  // A little smoothed, so that noise on a soft edge does not split one stroke in two.
  const ink = departure.map(
    (v, k) => (departure[Math.max(0, k - 1)] + v + departure[Math.min(length - 1, k + 1)]) / 3,
  );
  const runs: number[] = [];
  for (let k = 0; k < length; k++) {
    if (ink[k] <= BORDER_INK) continue;
    const start = k;
    while (k < length && ink[k] > BORDER_INK) k++;
    runs.push(k - start);
  }
  return runs;
}

/** Where each border pixel's values start in the data, each pixel once. */
function borderOffsets({ width, height, channels }: RawImage): number[] {
  const offsets: number[] = [];
  for (let x = 0; x < width; x++) {
    offsets.push(x * channels);
    if (height > 1) offsets.push(((height - 1) * width + x) * channels);
  }
  for (let y = 1; y < height - 1; y++) {
    offsets.push(y * width * channels);
    if (width > 1) offsets.push((y * width + width - 1) * channels);
  }
  return offsets;
}

/** The border pixel whose luma is the border's median. */
function medianPixel({ channels, data }: RawImage, ring: number[]): number {
  const sorted = [...ring].sort((a, b) => lumaAt(data, a, channels) - lumaAt(data, b, channels));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function colourAt({ channels, data }: RawImage, at: number): number[] {
  return Array.from({ length: channels }, (_, c) => data[at + c]);
}

/** The value (in 8-bit steps) that occurs most often, how often, and where it first does. */
function mostCommon(values: number[]): { count: number; index: number } {
  const seen = new Map<number, { count: number; index: number }>();
  let best = { count: 0, index: 0 };
  values.forEach((value, index) => {
    const key = Math.round(value * 255);
    const entry = seen.get(key) ?? { count: 0, index };
    entry.count++;
    seen.set(key, entry);
    if (entry.count > best.count) best = entry;
  });
  return best;
}
