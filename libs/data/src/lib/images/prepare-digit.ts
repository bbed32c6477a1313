/**
 * Turns a picture of one handwritten digit, as people send it (any size, dark ink on light paper
 * or light on dark, ink on a transparent background), into an MNIST-style 28x28 image, the way
 * MNIST itself was made: the digit is found, cropped, scaled to fit a 20x20 box keeping its
 * aspect ratio, and placed in a 28x28 field with its centre of mass at the centre.
 * White ink on black, as the model was trained.
 */

export const MNIST_SIZE = 28;
export const MNIST_BOX = 20;

/** Decoded pixels, interleaved channels (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA), 8 or 16 bits. */
export interface RawImage {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  data: Uint8Array | Uint8ClampedArray | Uint16Array;
  /** 255 for 8-bit data, 65535 for 16-bit. */
  maxValue: number;
}

export interface PreparedDigit {
  /** 784 bytes, row-major, white ink on black. */
  pixels: Uint8Array;
  /** True when the input was dark ink on a light background. */
  inverted: boolean;
  /** Where the digit was found in the input, in input pixels. */
  box: { left: number; top: number; width: number; height: number };
}

/** The picture holds nothing that looks like a digit (blank, or no contrast). */
export class NoDigitFoundError extends Error {
  constructor(reason: string) {
    super(`no digit found: ${reason}`);
    this.name = 'NoDigitFoundError';
  }
}

export function prepareDigit(image: RawImage): PreparedDigit {
  const { width, height } = image;
  if (width < 1 || height < 1) throw new NoDigitFoundError('the image is empty');
  const { luminance, alpha } = splitChannels(image);
  const gray = alpha ? composite(luminance, alpha) : luminance;

  // Polarity from the border, which is background in any sensible picture of one digit.
  const border = borderValues(gray, width, height);
  const background = median(border);
  const inverted = background > 0.5;
  const ink = new Float32Array(gray.length);
  for (let i = 0; i < gray.length; i++)
    ink[i] = Math.max(
      0,
      (inverted ? 1 - gray[i] : gray[i]) - (inverted ? 1 - background : background),
    );

  // Stretch so the strongest strokes reach 1; a picture with no contrast has no digit.
  const peak = percentile(ink, 0.998);
  if (peak < 0.08) throw new NoDigitFoundError('the image has (almost) no contrast');
  for (let i = 0; i < ink.length; i++) ink[i] = Math.min(1, ink[i] / peak);

  // Paper texture and sensor noise sit below half of Otsu's ink/background threshold.
  const floor = otsuThreshold(ink) / 2;
  for (let i = 0; i < ink.length; i++)
    ink[i] = ink[i] <= floor ? 0 : (ink[i] - floor) / (1 - floor);

  const box = boundingBox(ink, width, height, 0.1);
  if (!box) throw new NoDigitFoundError('nothing stands out from the background');

  const scale = MNIST_BOX / Math.max(box.width, box.height);
  const fitted = resize(
    ink,
    width,
    box,
    Math.max(1, Math.round(box.width * scale)),
    Math.max(1, Math.round(box.height * scale)),
  );
  return { pixels: centreByMass(fitted.data, fitted.width, fitted.height), inverted, box };
}

function splitChannels(image: RawImage): { luminance: Float32Array; alpha?: Float32Array } {
  const { width, height, channels, data, maxValue } = image;
  const count = width * height;
  if (data.length < count * channels)
    throw new RangeError(
      `expected ${count * channels} values for ${width}x${height}x${channels}, got ${data.length}`,
    );
  const luminance = new Float32Array(count);
  const hasAlpha = channels === 2 || channels === 4;
  const alpha = hasAlpha ? new Float32Array(count) : undefined;
  let transparent = false;
  for (let i = 0; i < count; i++) {
    const at = i * channels;
    if (channels >= 3) {
      // Rec. 601 luma, as PIL's convert('L') and most MNIST tooling use.
      luminance[i] = (0.299 * data[at] + 0.587 * data[at + 1] + 0.114 * data[at + 2]) / maxValue;
    } else {
      luminance[i] = data[at] / maxValue;
    }
    if (alpha) {
      alpha[i] = data[at + channels - 1] / maxValue;
      if (alpha[i] < 0.99) transparent = true;
    }
  }
  return { luminance, alpha: transparent ? alpha : undefined };
}

/**
 * Flattens transparency onto the background the ink stands out from: dark ink onto white,
 * light ink onto black. A drawing-pad export (ink on transparent) becomes ink on paper.
 */
function composite(luminance: Float32Array, alpha: Float32Array): Float32Array {
  let weighted = 0;
  let total = 0;
  for (let i = 0; i < luminance.length; i++) {
    weighted += luminance[i] * alpha[i];
    total += alpha[i];
  }
  const inkIsDark = total === 0 || weighted / total < 0.5;
  const backdrop = inkIsDark ? 1 : 0;
  const out = new Float32Array(luminance.length);
  for (let i = 0; i < luminance.length; i++)
    out[i] = alpha[i] * luminance[i] + (1 - alpha[i]) * backdrop;
  return out;
}

function borderValues(values: Float32Array, width: number, height: number): Float32Array {
  const ring = Math.max(1, Math.round(Math.min(width, height) * 0.03));
  const out = new Float32Array(
    width * height - Math.max(0, width - 2 * ring) * Math.max(0, height - 2 * ring),
  );
  let n = 0;
  for (let y = 0; y < height; y++) {
    const inner = y >= ring && y < height - ring;
    for (let x = 0; x < width; x++) {
      if (!inner || x < ring || x >= width - ring) out[n++] = values[y * width + x];
    }
  }
  return out.subarray(0, n);
}

function median(values: Float32Array): number {
  return percentile(values, 0.5);
}

const BINS = 4096;

/** The q-quantile of values in [0, 1], from a fine histogram (linear time, no sort). */
function percentile(values: Float32Array, q: number): number {
  const histogram = new Uint32Array(BINS);
  for (let i = 0; i < values.length; i++)
    histogram[Math.min(BINS - 1, Math.max(0, Math.floor(values[i] * BINS)))]++;
  const target = q * (values.length - 1);
  let seen = 0;
  for (let bin = 0; bin < BINS; bin++) {
    seen += histogram[bin];
    if (seen > target) return (bin + 0.5) / BINS;
  }
  return 1;
}

/** Otsu's threshold on a 256-bin histogram of values in [0, 1]. */
export function otsuThreshold(values: Float32Array): number {
  const histogram = new Float64Array(256);
  for (const v of values) histogram[Math.min(255, Math.floor(v * 255))]++;
  const total = values.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * histogram[i];
  let sumBackground = 0;
  let weightBackground = 0;
  let best = 0;
  let threshold = 0;
  for (let i = 0; i < 256; i++) {
    weightBackground += histogram[i];
    if (weightBackground === 0) continue;
    const weightForeground = total - weightBackground;
    if (weightForeground === 0) break;
    sumBackground += i * histogram[i];
    const meanBackground = sumBackground / weightBackground;
    const meanForeground = (sumAll - sumBackground) / weightForeground;
    const between = weightBackground * weightForeground * (meanBackground - meanForeground) ** 2;
    if (between > best) {
      best = between;
      threshold = i;
    }
  }
  return (threshold + 0.5) / 255;
}

type Box = PreparedDigit['box'];

function boundingBox(
  values: Float32Array,
  width: number,
  height: number,
  threshold: number,
): Box | undefined {
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (values[y * width + x] > threshold) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    }
  }
  return right < 0 ? undefined : { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/**
 * Resamples a box of the image to `outWidth` x `outHeight`: each output pixel is the area-weighted
 * mean of the input it covers (exact box filtering, no aliasing when shrinking a photo); when
 * enlarging, that is nearest-neighbour blended at the edges, so bilinear interpolation is used.
 */
function resize(
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
function centreByMass(values: Float32Array, width: number, height: number): Uint8Array {
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
