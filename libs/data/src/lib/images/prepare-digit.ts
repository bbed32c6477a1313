/**
 * Turns a picture of one handwritten digit, as people send it (any size; a photo of paper under
 * uneven light, ruled or squared, in any ink colour; a drawing-pad export; light ink on dark),
 * into an MNIST-style 28x28 image, the way MNIST itself was made: the digit is found, cropped,
 * scaled to fit a 20x20 box keeping its aspect ratio, and placed in a 28x28 field with its
 * centre of mass at the centre. White ink on black, as the model was trained.
 *
 * The steps, each in its own file:
 *   tight-crop    a margin of paper round a picture whose strokes run into its edges
 *   transparency  alpha as ink coverage, or flattened onto the backdrop
 *   illumination  polarity; the paper estimated locally; ink as contrast against the paper
 *                 in the channel where it differs most (so coloured ink reads like black)
 *   threshold     noise and stroke levels of the ink map; hysteresis (adaptive) thresholding
 *   ruled-lines   long thin straight lines out
 *   components    the dominant cluster of connected strokes (no specks, frames, page edges)
 *   stroke-width  strokes far thinner than MNIST's pens widened to a typical one
 *   resample      crop, area-averaging resize, centre by mass
 */
import {
  MNIST_BOX,
  NoDigitFoundError,
  type Box,
  type Plane,
  type PreparedDigit,
  type RawImage,
} from './digit-image';
import {
  clusterBox,
  dominantCluster,
  isPageEdge,
  labelComponents,
  type Component,
} from './components';
import { inkContrast, inkIsDark } from './illumination';
import { maxFilter } from './morphology';
import { toPlanes, type ImagePlanes } from './planes';
import { centreByMass, resize } from './resample';
import { removeRuledLines } from './ruled-lines';
import { widenThinStrokes } from './stroke-width';
import { hysteresis, inkLevels, percentile } from './threshold';
import { padCutDigit, padTightCrop, unpadBox, type PaddedPicture } from './tight-crop';
import { alphaCoverage, flattenAlpha } from './transparency';

/** The least difference between the strongest strokes and the paper that can be a digit. */
const MIN_CONTRAST = 0.08;

/** A found box this small a share of the picture's long side is a speck, not a digit. */
const SPECK = 0.015;

/**
 * Pictures are analysed at about this many pixels on their long side: enough for a digit that
 * fills a seventh of the frame to keep 30 pixels, few enough to stay fast.
 */
export const ANALYSIS_SIDE = 256;

export function prepareDigit(image: RawImage): PreparedDigit {
  if (image.width < 1 || image.height < 1) throw new NoDigitFoundError('the image is empty');
  const tight = padTightCrop(image);
  if (tight) return fromPadded(tight, image);
  let found: Reading;
  try {
    found = prepareUncropped(image);
  } catch (error) {
    const cut = error instanceof NoDigitFoundError && padCutDigit(image);
    if (!cut) throw error;
    return fromPadded(cut, image);
  }
  // A digit that runs into the frame may be all there is of one cut by it, and a speck all that
  // is left once such a digit is taken for a page edge: read again with a margin.
  const doubtful = found.edgeTaken || runsIntoFrame(found.box, image) || isSpeck(found.box, image);
  const cut = doubtful && padCutDigit(image);
  const first = { pixels: found.pixels, inverted: found.inverted, box: found.box };
  if (!cut) return first;
  try {
    return fromPadded(cut, image);
  } catch (error) {
    if (error instanceof NoDigitFoundError) return first;
    throw error;
  }
}

function fromPadded(padded: PaddedPicture, image: RawImage): PreparedDigit {
  const { pixels, inverted, box } = prepareUncropped(padded.image);
  return { pixels, inverted, box: unpadBox(box, padded.offset, image) };
}

/** The box is too small to hold a digit (see SPECK). */
function isSpeck(box: Box, image: RawImage): boolean {
  return Math.max(box.width, box.height) < SPECK * Math.max(image.width, image.height);
}

/** The box reaches the edge of the picture (to the pixel of the analysis). */
function runsIntoFrame(box: Box, image: RawImage): boolean {
  const reach = Math.max(1, Math.round(Math.max(image.width, image.height) / ANALYSIS_SIDE));
  return (
    box.left < reach ||
    box.top < reach ||
    box.left + box.width > image.width - reach ||
    box.top + box.height > image.height - reach
  );
}

/** A digit read, and whether ink as strong as its own was dropped as a page edge on the way. */
interface Reading extends PreparedDigit {
  edgeTaken: boolean;
}

/** The steps above, on a picture with paper round the digit. */
function prepareUncropped(image: RawImage): Reading {
  const factor = Math.max(1, Math.round(Math.max(image.width, image.height) / ANALYSIS_SIDE));
  const { ink, darkInk } = inkMap(toPlanes(image, factor));
  const { width } = ink;

  const levels = inkLevels(ink.data);
  const range = levels.stroke - levels.paper;
  if (range < MIN_CONTRAST) throw new NoDigitFoundError('the image has (almost) no contrast');
  const high = Math.max(levels.paper + 5 * levels.noise, levels.paper + 0.4 * range);
  const low = Math.max(levels.paper + 2.5 * levels.noise, levels.paper + 0.2 * range);

  // Printed lines are faint and, shrunk, fainter still: looked for among all the ink above noise.
  const anyInk = aboveLevel(
    ink,
    Math.max(levels.paper + 2.5 * levels.noise, levels.paper + 0.05 * range),
  );
  const ruled = removeRuledLines(ink, anyInk, levels.stroke);
  let clean = ruled.ink;
  let found = findCluster(clean, low, high);
  // A lone straight stroke (a "1") can pass for a line fainter than the strongest ink when it is
  // the only ink there is: if nothing is left without the lines, and none of them ran right across
  // the sheet as printed lines do, they were the digit.
  if (!found.cluster.length && ruled.lines.length && ruled.lines.every((l) => !l.sure)) {
    clean = ink;
    found = findCluster(clean, low, high);
  }
  // Weak ink that joins the digit to something dropped as a whole (the rim of a deep shadow
  // running to the border) is left out by a stricter threshold, step by step.
  for (const share of [0.4, 0.6]) {
    if (found.cluster.length) break;
    const level = Math.max(high, levels.paper + share * range);
    found = findCluster(clean, level, level);
  }
  const { labels, cluster, components } = found;
  if (!cluster.length) throw new NoDigitFoundError('nothing stands out from the background');
  const mass = (parts: Component[]) => parts.reduce((sum, c) => sum + c.mass, 0);
  const edges = components.filter((c) => isPageEdge(c, width, ink.height));
  const box = clusterBox(cluster);

  const soft = digitInk(clean, labels, new Set(cluster.map((c) => c.label)), levels.paper);
  const pen = widenThinStrokes({ width, height: ink.height, data: soft }, box);
  const scale = MNIST_BOX / Math.max(pen.box.width, pen.box.height);
  const fitted = resize(
    pen.ink.data,
    width,
    pen.box,
    Math.max(1, Math.round(pen.box.width * scale)),
    Math.max(1, Math.round(pen.box.height * scale)),
  );
  return {
    pixels: centreByMass(fitted.data, fitted.width, fitted.height),
    inverted: darkInk,
    box: inInput(box, factor, image),
    edgeTaken: mass(edges) > mass(cluster),
  };
}

function findCluster(ink: Plane, low: number, high: number) {
  const { labels, components } = labelComponents(hysteresis(ink, low, high), ink);
  return { labels, components, cluster: dominantCluster(components, ink.width, ink.height) };
}

/** A box found on the shrunk picture, in the input's pixels. */
function inInput(box: Box, factor: number, image: RawImage): Box {
  const left = box.left * factor;
  const top = box.top * factor;
  return {
    left,
    top,
    width: Math.min(image.width - left, box.width * factor),
    height: Math.min(image.height - top, box.height * factor),
  };
}

function aboveLevel(ink: Plane, level: number): Uint8Array {
  const mask = new Uint8Array(ink.data.length);
  for (let i = 0; i < mask.length; i++) mask[i] = ink.data[i] > level ? 1 : 0;
  return mask;
}

/** How much ink each pixel holds, from 0 to 1, and whether the ink was darker than its ground. */
function inkMap(planes: ImagePlanes): { ink: Plane; darkInk: boolean } {
  const drawn = alphaCoverage(planes);
  if (drawn) return drawn;
  const flat = flattenAlpha(planes);
  const { width, height } = flat;
  const darkInk = inkIsDark({ width, height, data: flat.luma });
  const colours = flat.colours.map((data) => ({ width, height, data }));
  return { ink: inkContrast(colours, { width, height, data: flat.luma }, darkInk), darkInk };
}

/**
 * The digit's ink alone, soft: the cluster's pixels and the anti-aliased rim just around them,
 * scaled so the cores of its strokes reach 1; everything else (specks, lines, shadow) is 0.
 */
function digitInk(
  ink: Plane,
  labels: Int32Array,
  cluster: Set<number>,
  paper: number,
): Float32Array {
  const inDigit = new Float32Array(labels.length);
  const values = new Float32Array(labels.length);
  let count = 0;
  const member = new Uint8Array(Math.max(...cluster) + 1);
  for (const label of cluster) member[label] = 1;
  for (let i = 0; i < labels.length; i++)
    if (labels[i] < member.length && member[labels[i]]) {
      inDigit[i] = 1;
      values[count++] = ink.data[i];
    }
  const rim = maxFilter({ width: ink.width, height: ink.height, data: inDigit }, 3).data;
  const core = Math.max(percentile(values.subarray(0, count), 0.9), paper + MIN_CONTRAST);
  const out = new Float32Array(labels.length);
  for (let i = 0; i < out.length; i++)
    if (rim[i]) out[i] = Math.min(1, Math.max(0, (ink.data[i] - paper) / (core - paper)));
  return out;
}
