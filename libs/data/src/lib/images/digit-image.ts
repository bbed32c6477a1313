/** The shapes shared by the steps that turn a picture into an MNIST-style digit. */

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

/** One value per pixel, row-major. */
export interface Plane {
  width: number;
  height: number;
  data: Float32Array;
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface PreparedDigit {
  /** 784 bytes, row-major, white ink on black. */
  pixels: Uint8Array;
  /** True when the input was dark ink on a light background. */
  inverted: boolean;
  /** Where the digit was found in the input, in input pixels. */
  box: Box;
}

/** The picture holds nothing that looks like a digit (blank, no contrast, only lines or shadow). */
export class NoDigitFoundError extends Error {
  constructor(reason: string) {
    super(`no digit found: ${reason}`);
    this.name = 'NoDigitFoundError';
  }
}
