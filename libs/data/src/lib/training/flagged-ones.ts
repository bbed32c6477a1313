import seedrandom from 'seedrandom';
import { centreByMass } from '../images/resample';
import type { LabeledImages } from '../mnist/mnist-dataset';

/**
 * MNIST's writers were American, and their 1 is a bare stroke. Much of the world writes it with a
 * flag (and often a foot), and a model that never saw one reads a flagged 1 as a 7 (a flag drawn
 * on MNIST test 1s: 31 of 60 read right). This redraws a seeded share of the training 1s in that
 * style, from their own strokes: a flag from the top of the 1 down to the left at 20-55 degrees,
 * a foot under one in three, with the digit's own pen; then re-centred by mass, as MNIST's
 * digits were. Labels are untouched and the other digits are left as they are. (Crossed 7s were
 * tried too and dropped: a model trained on MNIST alone already read them, 60 of 60, and with the
 * bar one typeface's 4s were read as 7s.)
 */
export function withFlaggedOnes(data: LabeledImages, share: number, seed: number): LabeledImages {
  if (share <= 0) return data;
  const random = seedrandom(`${seed}:flagged-ones`);
  const images = new Uint8Array(data.images);
  const pixels = data.width * data.height;
  for (let i = 0; i < data.count; i++) {
    if (data.labels[i] !== 1) continue;
    // Draw every random number a digit may use, so which digits are restyled does not shift the
    // choices made for the others.
    const draws = [random(), random(), random(), random(), random()];
    if (draws[0] >= share) continue;
    const digit = images.subarray(i * pixels, (i + 1) * pixels);
    const flagged = flagOne(digit, data.width, data.height, draws);
    if (flagged) digit.set(flagged);
  }
  return { ...data, images };
}

/** Ink strong enough to be the stroke's core. */
const CORE = 128;

interface Strokes {
  top: number;
  bottom: number;
  /** Mean x of the core ink in a row, or NaN where the row has none. */
  centreOfRow: (y: number) => number;
  /** The pen's width: the median width of the core ink across rows. */
  pen: number;
}

function strokesOf(digit: Uint8Array, width: number, height: number): Strokes | undefined {
  const widths: number[] = [];
  let top = -1;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    let count = 0;
    for (let x = 0; x < width; x++) if (digit[y * width + x] >= CORE) count++;
    if (!count) continue;
    if (top < 0) top = y;
    bottom = y;
    widths.push(count);
  }
  if (top < 0 || bottom - top < 6) return undefined;
  widths.sort((a, b) => a - b);
  const centreOfRow = (y: number) => {
    let sum = 0;
    let count = 0;
    for (let x = 0; x < width; x++)
      if (digit[y * width + x] >= CORE) {
        sum += x;
        count++;
      }
    return count ? sum / count : Number.NaN;
  };
  return { top, bottom, centreOfRow, pen: widths[widths.length >> 1] };
}

/** A round pen of `pen` pixels along the segment, anti-aliased, laid over the digit. */
function drawLine(
  digit: Uint8Array,
  width: number,
  height: number,
  [x0, y0]: [number, number],
  [x1, y1]: [number, number],
  pen: number,
): void {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const length2 = dx * dx + dy * dy || 1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const t = Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / length2));
      const distance = Math.hypot(x - (x0 + t * dx), y - (y0 + t * dy));
      const cover = Math.max(0, Math.min(1, pen / 2 - distance + 0.5));
      const value = Math.round(cover * 255);
      if (value > digit[y * width + x]) digit[y * width + x] = value;
    }
}

/** The pen of an MNIST digit at 28x28, kept between a fine and a broad one. */
const penOf = (strokes: Strokes) => Math.max(1.5, Math.min(4, strokes.pen));

function flagOne(
  digit: Uint8Array,
  width: number,
  height: number,
  draws: number[],
): Uint8Array | undefined {
  const strokes = strokesOf(digit, width, height);
  if (!strokes) return undefined;
  const tall = strokes.bottom - strokes.top;
  // A 1 leaning left is not written with a flag: one would turn it into a caret.
  const lean = strokes.centreOfRow(strokes.top) - strokes.centreOfRow(strokes.bottom);
  if (lean < -0.15 * tall) return undefined;
  const out = new Uint8Array(digit);
  const pen = penOf(strokes);
  const start: [number, number] = [strokes.centreOfRow(strokes.top), strokes.top + pen / 2];
  const length = tall * (0.2 + 0.2 * draws[1]);
  const angle = ((20 + 35 * draws[2]) * Math.PI) / 180;
  drawLine(
    out,
    width,
    height,
    start,
    [start[0] - length * Math.cos(angle), start[1] + length * Math.sin(angle)],
    pen,
  );
  if (draws[3] < 1 / 3) {
    const foot = tall * (0.3 + 0.2 * draws[4]);
    const y = strokes.bottom - pen / 2;
    const x = strokes.centreOfRow(strokes.bottom);
    drawLine(out, width, height, [x - foot / 2, y], [x + foot / 2, y], pen);
  }
  // Re-centred by mass in the 28x28 field, as MNIST placed its digits.
  return centreByMass(
    Float32Array.from(out, (v) => v / 255),
    width,
    height,
  );
}
