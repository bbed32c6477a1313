import { MNIST_SIZE, type Box } from './digit-image';

/**
 * Crop, resize and centre as MNIST was made: area-averaging when shrinking (each output pixel the
 * mean of the input it covers, so anti-aliased edges keep their gradation), bilinear when
 * enlarging, and the centre of mass on the centre of the 28x28 field.
 */

/**
 * Resamples a box of the image to `outWidth` x `outHeight`: each output pixel is the area-weighted
 * mean of the input it covers (exact box filtering, no aliasing when shrinking a photo); when
 * enlarging, that is nearest-neighbour blended at the edges, so bilinear interpolation is used.
 */
export function resize(
  values: Float32Array,
  stride: number,
  box: Box,
  outWidth: number,
  outHeight: number,
): { data: Float32Array; width: number; height: number } {
  const out = new Float32Array(outWidth * outHeight);
  const scaleX = box.width / outWidth;
  const scaleY = box.height / outHeight;
  const at = (x: number, y: number) => values[(box.top + y) * stride + box.left + x];
  if (scaleX >= 1 && scaleY >= 1) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * scaleY;
      const y1 = y0 + scaleY;
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * scaleX;
        const x1 = x0 + scaleX;
        let sum = 0;
        for (let y = Math.floor(y0); y < Math.min(box.height, Math.ceil(y1)); y++) {
          const wy = Math.min(y + 1, y1) - Math.max(y, y0);
          for (let x = Math.floor(x0); x < Math.min(box.width, Math.ceil(x1)); x++) {
            sum += at(x, y) * wy * (Math.min(x + 1, x1) - Math.max(x, x0));
          }
        }
        out[oy * outWidth + ox] = sum / (scaleX * scaleY);
      }
    }
    return { data: out, width: outWidth, height: outHeight };
  }
  for (let oy = 0; oy < outHeight; oy++) {
    const sy = Math.min(box.height - 1, Math.max(0, (oy + 0.5) * scaleY - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(box.height - 1, y0 + 1);
    const fy = sy - y0;
    for (let ox = 0; ox < outWidth; ox++) {
      const sx = Math.min(box.width - 1, Math.max(0, (ox + 0.5) * scaleX - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(box.width - 1, x0 + 1);
      const fx = sx - x0;
      out[oy * outWidth + ox] =
        (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) +
        (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy;
    }
  }
  return { data: out, width: outWidth, height: outHeight };
}

/** Places the digit in the 28x28 field so that its centre of mass lands on the centre. */
export function centreByMass(values: Float32Array, width: number, height: number): Uint8Array {
  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x];
      mass += v;
      sumX += v * x;
      sumY += v * y;
    }
  }
  const centreX = mass ? sumX / mass : (width - 1) / 2;
  const centreY = mass ? sumY / mass : (height - 1) / 2;
  // The centre of the field in pixel-index coordinates is 13.5.
  const middle = (MNIST_SIZE - 1) / 2;
  const offsetX = Math.round(middle - centreX);
  const offsetY = Math.round(middle - centreY);
  const out = new Uint8Array(MNIST_SIZE * MNIST_SIZE);
  for (let y = 0; y < height; y++) {
    const ty = y + offsetY;
    if (ty < 0 || ty >= MNIST_SIZE) continue;
    for (let x = 0; x < width; x++) {
      const tx = x + offsetX;
      if (tx < 0 || tx >= MNIST_SIZE) continue;
      out[ty * MNIST_SIZE + tx] = Math.round(Math.min(1, Math.max(0, values[y * width + x])) * 255);
    }
  }
  return out;
}
