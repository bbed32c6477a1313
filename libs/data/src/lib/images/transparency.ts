import type { Plane } from './digit-image';
import type { ImagePlanes } from './planes';
import { percentile } from './threshold';

/**
 * Transparency. On a drawing-pad export (ink on a transparent canvas) alpha *is* the ink's
 * coverage: it is used as the ink map as it is, soft edges and all, whatever the ink's colour.
 * A mostly opaque picture with some transparent pixels is flattened onto the backdrop its ink
 * stands out from, and read like any other picture.
 */

/** The ink map of ink on a transparent canvas, or undefined when the picture is mostly opaque. */
export function alphaCoverage(planes: ImagePlanes): { ink: Plane; darkInk: boolean } | undefined {
  const { alpha, width, height, luma } = planes;
  if (!alpha) return undefined;
  const canvas = percentile(alpha, 0.5);
  if (canvas > 0.5) return undefined;
  const ink = new Float32Array(alpha.length);
  let weighted = 0;
  let total = 0;
  for (let i = 0; i < alpha.length; i++) {
    ink[i] = Math.max(0, (alpha[i] - canvas) / (1 - canvas));
    weighted += luma[i] * alpha[i];
    total += alpha[i];
  }
  return { ink: { width, height, data: ink }, darkInk: total === 0 || weighted / total < 0.5 };
}

/** Composites onto white under dark ink, onto black under light ink. */
export function flattenAlpha(planes: ImagePlanes): ImagePlanes {
  const { alpha, luma } = planes;
  if (!alpha) return planes;
  let weighted = 0;
  let total = 0;
  for (let i = 0; i < luma.length; i++) {
    weighted += luma[i] * alpha[i];
    total += alpha[i];
  }
  const backdrop = total === 0 || weighted / total < 0.5 ? 1 : 0;
  const over = (values: Float32Array) =>
    values.map((v, i) => alpha[i] * v + (1 - alpha[i]) * backdrop);
  const colours = planes.colours.map(over);
  return {
    ...planes,
    colours,
    luma: colours.length === 1 ? colours[0] : over(luma),
    alpha: undefined,
  };
}
