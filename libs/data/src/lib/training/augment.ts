import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { AUGMENT_DIGITS } from '@mnist-mlops/compute';

/**
 * On-device augmentation of a training batch, in tfjs ops on the training backend: the pictures
 * people send are slanted, thicker or thinner, softer or fainter than MNIST's, and the model should
 * have seen such digits. Each strength is 0 for off; all random choices come from a seed, so a run
 * repeats exactly. Labels are never touched: every change keeps the digit what it was.
 */
export interface AugmentSettings {
  /** Largest rotation, in degrees either way. */
  rotation: number;
  /** Largest change of size, as a share (0.2: from 0.8 to 1.2 times). */
  scale: number;
  /** Largest horizontal shear, in degrees either way (a slanted hand). */
  shear: number;
  /** Largest shift, in pixels either way. */
  shift: number;
  /** Elastic distortion: the largest displacement of a smooth random field, in pixels. */
  elastic: number;
  /** Stroke width: how far towards a 3x3 dilation (thicker) or erosion (thinner) a digit goes, 0-1. */
  stroke: number;
  /** Blur: how far towards a Gaussian blur (sigma 1 pixel) a digit goes, 0-1. */
  blur: number;
  /** Contrast: ink intensity scaled by up to this share either way, 0-1. */
  contrast: number;
}

export const NO_AUGMENTATION: AugmentSettings = {
  rotation: 0,
  scale: 0,
  shear: 0,
  shift: 0,
  elastic: 0,
  stroke: 0,
  blur: 0,
  contrast: 0,
};

export function augmentationIsOff(settings: AugmentSettings): boolean {
  return Object.values(settings).every((v) => v === 0);
}

/** The coarse grid of the elastic field: a few bends per digit, not pixel noise. */
export const ELASTIC_GRID = 4;

const GAUSSIAN_3X3 = (() => {
  const g = [Math.exp(-0.5), 1, Math.exp(-0.5)];
  const k = g.flatMap((a) => g.map((b) => a * b));
  const total = k.reduce((a, b) => a + b, 0);
  return k.map((v) => v / total);
})();

/**
 * Augments a batch of images [N, H, W, 1] in [0, 1]. `seed` is per batch (the trainer derives it
 * from the run's seed, the epoch and the batch), so the same batch is changed the same way on
 * every run. Returns a new tensor; the input is left as it is.
 */
export function augmentBatch(
  xs: tf.Tensor4D,
  settings: AugmentSettings,
  seed: string,
): tf.Tensor4D {
  if (augmentationIsOff(settings)) return xs.clone();
  const [count, height, width] = xs.shape;
  const params = augmentationParams(count, height, width, settings, seed);
  return tf.tidy(() => {
    const perImage = tf.tensor2d(params, [count, params.length / count]);
    if (tf.getKernel(AUGMENT_DIGITS, tf.getBackend()))
      return tf
        .engine()
        .runKernel(
          AUGMENT_DIGITS,
          { x: xs, params: perImage },
          { grid: ELASTIC_GRID },
        ) as tf.Tensor4D;
    return augmentWithOps(xs, perImage);
  });
}

/**
 * Each image's random draws, as the kernel reads them: the inverse affine map M (rotation, scale,
 * shear) and offset (centre minus shift), the elastic field's grid for x and y, and the
 * post-processing: a mix towards a Gaussian blur, a gain and an offset before clipping. A thicker
 * pen is the blurred digit brightened (its edge spreads out), a thinner one the digit with its
 * soft edge cut away.
 */
export function augmentationParams(
  count: number,
  height: number,
  width: number,
  settings: AugmentSettings,
  seed: string,
): Float32Array {
  // Alea: seeded like the rest, and several times faster than seedrandom's default ARC4.
  const random = seedrandom.alea(seed);
  const draw = (low: number, high: number) => low + (high - low) * random();
  const cells = ELASTIC_GRID * ELASTIC_GRID;
  const perImage = 9 + 2 * cells;
  const out = new Float32Array(count * perImage);
  const degrees = Math.PI / 180;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  for (let i = 0; i < count; i++) {
    const p = out.subarray(i * perImage, (i + 1) * perImage);
    const angle = draw(-settings.rotation, settings.rotation) * degrees;
    const zoom = draw(1 - settings.scale, 1 + settings.scale);
    const shear = Math.tan(draw(-settings.shear, settings.shear) * degrees);
    // Output (x, y) reads input M (x - c) + c - shift; M inverts zoom, rotation and shear.
    const cos = Math.cos(angle) / zoom;
    const sin = Math.sin(angle) / zoom;
    p[0] = cos + shear * sin;
    p[1] = sin - shear * cos;
    p[2] = -sin;
    p[3] = cos;
    p[4] = cx - draw(-settings.shift, settings.shift);
    p[5] = cy - draw(-settings.shift, settings.shift);
    for (let k = 0; k < 2 * cells; k++) p[6 + k] = draw(-settings.elastic, settings.elastic);
    const stroke = draw(-settings.stroke, settings.stroke);
    const soften = draw(0, settings.blur);
    const contrast = draw(1 - settings.contrast, 1 + settings.contrast);
    const cut = 0.5 * Math.max(0, -stroke);
    p[6 + 2 * cells] = Math.min(1, Math.max(0, stroke) + soften);
    p[7 + 2 * cells] = (contrast * (1 + 2 * Math.max(0, stroke))) / (1 - cut);
    p[8 + 2 * cells] = cut / (1 - cut);
  }
  return out;
}

/**
 * The kernel's arithmetic in tfjs ops, for the backends without the compiled one: the warp as
 * one bilinear resampling by gathers (tfjs-node has no image-transform kernel), then blur, gain,
 * offset and clipping.
 */
function augmentWithOps(xs: tf.Tensor4D, params: tf.Tensor2D): tf.Tensor4D {
  const [count, height, width] = xs.shape;
  const pixels = width * height;
  const cells = ELASTIC_GRID * ELASTIC_GRID;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const [m00, m01, m10, m11, ox, oy, dx, dy, mix, gain, offset] = tf.split(
    params,
    [1, 1, 1, 1, 1, 1, cells, cells, 1, 1, 1],
    1,
  );
  const gridX = tf.tensor2d(
    Float32Array.from({ length: pixels }, (_, p) => (p % width) - cx),
    [1, pixels],
  );
  const gridY = tf.tensor2d(
    Float32Array.from({ length: pixels }, (_, p) => Math.floor(p / width) - cy),
    [1, pixels],
  );
  // The elastic field at every pixel: the coarse grid resized with its corners on the corners.
  const field = (values: tf.Tensor) =>
    tf.image
      .resizeBilinear(
        values.reshape([count, ELASTIC_GRID, ELASTIC_GRID, 1]) as tf.Tensor4D,
        [height, width],
        true,
      )
      .reshape([count, pixels]);
  const sourceX = m00.mul(gridX).add(m01.mul(gridY)).add(ox).add(field(dx));
  const sourceY = m10.mul(gridX).add(m11.mul(gridY)).add(oy).add(field(dy));
  const warped = bilinearSample(xs, sourceX, sourceY);
  const blurred = tf.conv2d(warped, tf.tensor4d(GAUSSIAN_3X3, [3, 3, 1, 1]), 1, 'same');
  const column = (t: tf.Tensor) => t.reshape([count, 1, 1, 1]);
  return warped
    .add(blurred.sub(warped).mul(column(mix)))
    .mul(column(gain))
    .sub(column(offset))
    .clipByValue(0, 1) as tf.Tensor4D;
}

/** Samples each image at real coordinates [N, H*W] with bilinear weights; outside reads 0. */
function bilinearSample(xs: tf.Tensor4D, sourceX: tf.Tensor, sourceY: tf.Tensor): tf.Tensor4D {
  const [count, height, width] = xs.shape;
  // A one-pixel border of background, so that every clamped coordinate reads a real 0.
  const padded = tf.pad(xs, [
    [0, 0],
    [1, 1],
    [1, 1],
    [0, 0],
  ]);
  const stride = width + 2;
  const flat = padded.reshape([-1]);
  const clampX = sourceX.clipByValue(-1, width);
  const clampY = sourceY.clipByValue(-1, height);
  const x0 = clampX.floor();
  const y0 = clampY.floor();
  const fx = clampX.sub(x0);
  const fy = clampY.sub(y0);
  const base = tf
    .range(0, count, 1, 'int32')
    .mul(tf.scalar((height + 2) * stride, 'int32'))
    .reshape([count, 1]);
  const at = (x: tf.Tensor, y: tf.Tensor) => {
    const index = base.add(
      y.clipByValue(-1, height).add(1).mul(stride).add(x.clipByValue(-1, width).add(1)).toInt(),
    );
    return tf.gather(flat, index.reshape([-1])).reshape([count, width * height]);
  };
  const x1 = x0.add(1);
  const y1 = y0.add(1);
  const one = tf.scalar(1);
  const top = at(x0, y0).mul(one.sub(fx)).add(at(x1, y0).mul(fx));
  const bottom = at(x0, y1).mul(one.sub(fx)).add(at(x1, y1).mul(fx));
  return top.mul(one.sub(fy)).add(bottom.mul(fy)).reshape([count, height, width, 1]) as tf.Tensor4D;
}
