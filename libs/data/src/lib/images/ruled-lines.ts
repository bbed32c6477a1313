import type { Plane } from './digit-image';

/**
 * Ruled and squared paper: thin, long, straight lines across the sheet are taken out of the ink map
 * before the digit is looked for. A line is found as a peak in the projection of the ink mask along
 * a few directions near horizontal (then near vertical, on the transposed picture), so a sheet
 * photographed a few degrees askew is handled too.
 */

/** Tilts tried, in degrees either side of horizontal and vertical. */
const TILTS = [-4, -3, -2, -1, 0, 1, 2, 3, 4].map((d) => Math.tan((d * Math.PI) / 180));
/** A line runs across at least this share of the picture. */
const MIN_COVERAGE = 0.45;
/** Past this share, nothing but a line runs across: it goes whatever its strength. */
const SURE_COVERAGE = 0.8;
/** A line at most this strong (against the strongest strokes) is printed, not written. */
const FAINT = 0.7;

export interface RuledLine {
  orientation: 'horizontal' | 'vertical';
  /** Offset of the line's first row (or column) at x = 0 (or y = 0). */
  offset: number;
  thickness: number;
  /** Slope: rows per column (or columns per row). */
  slope: number;
  coverage: number;
  /** The line's typical ink. */
  strength: number;
  /** It runs right across the picture, so it was taken out whatever its strength. */
  sure: boolean;
}

/**
 * Returns the ink map without the lines (and the lines it found). Where a stroke of the digit
 * crosses a line, the stroke is bridged from the pixels just beyond the line on either side.
 */
export function removeRuledLines(
  ink: Plane,
  mask: Uint8Array,
  strokeLevel: number,
): { ink: Plane; lines: RuledLine[] } {
  const horizontal = findLines(ink, mask, strokeLevel);
  const across = erase(ink, mask, horizontal);
  const turned = transpose(across.ink);
  const turnedMask = transposeMask(across.mask, ink.width, ink.height);
  const vertical = findLines(turned, turnedMask, strokeLevel);
  const cleaned = vertical.length ? transpose(erase(turned, turnedMask, vertical).ink) : across.ink;
  return {
    ink: cleaned,
    lines: [
      ...horizontal.map((l) => ({ ...l, orientation: 'horizontal' as const })),
      ...vertical.map((l) => ({ ...l, orientation: 'vertical' as const })),
    ],
  };
}

type Line = Omit<RuledLine, 'orientation'>;

// shift[x * tilts + t]: where the line of tilt t through (x, y) meets x = 0, less y, plus reach.
// Kept for the last width seen: pictures of one size come in runs (every upload is shrunk to the
// analysis size, MNIST crops are all 28 wide), and the table costs as much as the counting.
let lastShift: { width: number; reach: number; table: Int32Array } | undefined;
function shiftTable(width: number, reach: number): Int32Array {
  if (lastShift?.width === width && lastShift.reach === reach) return lastShift.table;
  const tilts = TILTS.length;
  const table = new Int32Array(width * tilts);
  for (let x = 0; x < width; x++)
    for (let t = 0; t < tilts; t++) table[x * tilts + t] = Math.round(-x * TILTS[t]) + reach;
  lastShift = { width, reach, table };
  return table;
}

function findLines(ink: Plane, mask: Uint8Array, strokeLevel: number): Line[] {
  const { width, height } = ink;
  const maxThickness = Math.max(2, Math.round(height * 0.025));
  const reach = Math.ceil(width * Math.abs(TILTS[0])) + 1;
  const span = height + 2 * reach;
  const tilts = TILTS.length;
  const shift = shiftTable(width, reach);
  // counts[t * span + r]: mask pixels on the line of tilt t through row r - reach at x = 0 (flat
  // arrays: views per tilt cost more than the counting on small pictures). The ink along a line
  // is summed afterwards, for the few peaks that may be lines.
  const counts = new Uint32Array(tilts * span);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (!mask[row + x]) continue;
      const from = x * tilts;
      for (let t = 0, base = y; t < tilts; t++, base += span) counts[base + shift[from + t]]++;
    }
  }
  const lines: Line[] = [];
  const taken = new Uint8Array(span);
  // The strongest peaks first, each claiming its rows for every tilt.
  const least = MIN_COVERAGE * width;
  const peaks: { t: number; r: number; count: number }[] = [];
  for (let t = 0; t < tilts; t++)
    for (let r = 0; r < span; r++)
      if (counts[t * span + r] >= least) peaks.push({ t, r, count: counts[t * span + r] });
  peaks.sort((a, b) => b.count - a.count);
  for (const { t, r, count } of peaks) {
    if (taken[r]) continue;
    const base = t * span;
    let first = r;
    let last = r;
    while (first > 0 && counts[base + first - 1] >= count * 0.5) first--;
    while (last < span - 1 && counts[base + last + 1] >= count * 0.5) last++;
    for (let k = Math.max(0, first - 1); k <= Math.min(span - 1, last + 1); k++) taken[k] = 1;
    const thickness = last - first + 1;
    if (thickness > maxThickness) continue;
    const strength = meanInkAlong(ink, mask, first - reach, last - reach, TILTS[t]);
    const coverage = count / width;
    if (strength <= FAINT * strokeLevel || coverage >= SURE_COVERAGE)
      lines.push({
        offset: first - reach,
        thickness,
        slope: TILTS[t],
        coverage,
        strength,
        sure: coverage >= SURE_COVERAGE,
      });
  }
  return lines;
}

/**
 * The mean ink of the mask's pixels on the band of lines with this slope whose rows at x = 0 run
 * from `first` to `last` (each pixel taken on the line findLines counted it on).
 */
function meanInkAlong(ink: Plane, mask: Uint8Array, first: number, last: number, slope: number) {
  const { width, height, data } = ink;
  let pixels = 0;
  let sum = 0;
  for (let x = 0; x < width; x++) {
    const shift = Math.round(-x * slope);
    for (let y = Math.max(0, first - shift); y <= Math.min(height - 1, last - shift); y++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      pixels++;
      sum += data[i];
    }
  }
  return sum / pixels;
}

/**
 * Takes each line's ink out of its rows (and a pixel of its soft edge either side): a pixel keeps
 * what it has beyond the line's own ink, so a stroke crossing a faint line keeps most of its ink;
 * where the line was as dark as the stroke, the stroke is bridged from the pixels just beyond the
 * line on either side. The mask loses the pixels that were only line.
 */
function erase(ink: Plane, mask: Uint8Array, lines: Line[]): { ink: Plane; mask: Uint8Array } {
  if (!lines.length) return { ink, mask };
  const { width, height } = ink;
  const data = Float32Array.from(ink.data);
  const kept = Uint8Array.from(mask);
  const at = (x: number, y: number) => (y >= 0 && y < height ? ink.data[y * width + x] : 0);
  for (const line of lines) {
    const own = line.strength * 1.2;
    for (let x = 0; x < width; x++) {
      const top = Math.round(line.offset + x * line.slope) - 1;
      const bottom = top + line.thickness + 1;
      const bridge = Math.min(at(x, top - 1), at(x, bottom + 1));
      for (let y = Math.max(0, top); y <= Math.min(height - 1, bottom); y++) {
        const i = y * width + x;
        const value = Math.min(data[i], Math.max(ink.data[i] - own, bridge));
        if (value < data[i] * 0.5) kept[i] = 0;
        data[i] = value;
      }
    }
  }
  return { ink: { width, height, data }, mask: kept };
}

function transpose({ width, height, data }: Plane): Plane {
  const out = new Float32Array(data.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) out[x * height + y] = data[y * width + x];
  return { width: height, height: width, data: out };
}

function transposeMask(mask: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) out[x * height + y] = mask[y * width + x];
  return out;
}
