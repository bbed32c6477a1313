import { PNG } from 'pngjs';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { ANALYSIS_SIDE, type Box, type RawImage } from '@mnist-mlops/data';
import { ApiError } from '../api/api-error';

// One decode at a time per worker process (the cluster runs one worker per core), and no libvips
// operation cache: every upload is new, and the cache only grows the resident set.
sharp.cache(false);
sharp.concurrency(1);

/**
 * Larger photos are shrunk while decoding to the size the digit is looked for at (for a JPEG,
 * libvips then decodes at 1/8 scale straight from the DCT coefficients).
 */
export const WORKING_SIZE = ANALYSIS_SIDE;

const SIGNATURES: { format: 'png' | 'jpeg'; bytes: number[] }[] = [
  { format: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { format: 'jpeg', bytes: [0xff, 0xd8, 0xff] },
];

export function sniffFormat(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  return SIGNATURES.find((s) => s.bytes.every((b, i) => bytes[i] === b))?.format;
}

function describeUnknown(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 512));
  if (head.subarray(0, 6).toString('latin1').startsWith('GIF8')) return 'a GIF image';
  if (head.subarray(0, 2).toString('latin1') === 'BM') return 'a BMP image';
  if (
    head.subarray(0, 4).toString('latin1') === 'RIFF' &&
    head.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'a WebP image';
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'a PDF document';
  const printable = [...head].every(
    (b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0xc2,
  );
  return printable ? 'text' : 'data of an unknown kind';
}

/** Refuses an image by the size its header declares, before any pixel is decoded. */
function checkPixelCount(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new ApiError(
      413,
      'IMAGE_TOO_LARGE',
      `the image is ${width}x${height} = ${width * height} pixels; the limit is ${maxPixels}`,
    );
  }
}

/** PNGs up to this many pixels are decoded in-process by pngjs, larger ones by sharp. */
export const SMALL_PNG_PIXELS = 512 * 512;

/**
 * Small PNGs (MNIST crops, canvas drawings) are decoded synchronously by pngjs: for them a trip
 * to libvips' thread pool costs more than the decoding. The size comes from the IHDR chunk, so
 * the pixel limit is still checked before any pixel is decoded. Returns undefined for big ones.
 */
function decodeSmallPng(bytes: Buffer, maxPixels: number): RawImage | undefined {
  if (bytes.length < 24 || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    throw new ApiError(400, 'CORRUPT_IMAGE', 'the PNG image is corrupt or truncated');
  }
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  checkPixelCount(width, height, maxPixels);
  if (width * height > SMALL_PNG_PIXELS) return undefined;
  try {
    // Any colour type and bit depth comes out as 8-bit RGBA.
    const png = PNG.sync.read(bytes);
    return { width: png.width, height: png.height, channels: 4, data: png.data, maxValue: 255 };
  } catch {
    throw new ApiError(400, 'CORRUPT_IMAGE', 'the PNG image is corrupt or truncated');
  }
}

/** A decoded picture, and how far it was shrunk on the way (1 when not). */
export interface DecodedImage extends RawImage {
  /** Decoded pixels per pixel of the (EXIF-rotated) upload. */
  scale: number;
}

/** A rectangle of the upload in its own pixels, after EXIF rotation. */
export type Region = Box;

/** sharp's raw output as the picture steps take it. */
function rawImage(data: Buffer, info: OutputInfo): RawImage {
  return {
    width: info.width,
    height: info.height,
    channels: info.channels as RawImage['channels'],
    data,
    maxValue: 255,
  };
}

/**
 * Decodes an uploaded PNG or JPEG with sharp (libvips): the header is read first and an image
 * over the pixel limit is refused before any pixel is decoded; EXIF orientation is applied;
 * palette, 16-bit and gray images come out as 8-bit channels (alpha kept for compositing).
 */
export async function decodeImage(bytes: Buffer, maxPixels: number): Promise<DecodedImage> {
  if (bytes.length === 0) throw new ApiError(400, 'EMPTY_FILE', 'the uploaded file is empty');
  const format = sniffFormat(bytes);
  if (!format) {
    throw new ApiError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `the upload is ${describeUnknown(bytes)}, not a PNG or JPEG image`,
    );
  }
  if (format === 'png') {
    const small = decodeSmallPng(bytes, maxPixels);
    if (small) return { ...small, scale: 1 };
  }
  let metadata: Metadata;
  try {
    // limitInputPixels: false here: our own check below gives the clearer message.
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new ApiError(
      400,
      'CORRUPT_IMAGE',
      `the ${format.toUpperCase()} image is corrupt or truncated`,
    );
  }
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  checkPixelCount(width, height, maxPixels);
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' })
      .rotate()
      .resize({
        width: WORKING_SIZE,
        height: WORKING_SIZE,
        fit: 'inside',
        withoutEnlargement: true,
      })
      .toColourspace(metadata.channels && metadata.channels <= 2 ? 'b-w' : 'srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    // EXIF orientations 5 to 8 turn the picture a quarter: its width is the stored height.
    const uprightWidth = (metadata.orientation ?? 1) >= 5 ? height : width;
    return { ...rawImage(data, info), scale: info.width / uprightWidth };
  } catch {
    throw new ApiError(
      400,
      'CORRUPT_IMAGE',
      `the ${format.toUpperCase()} image is corrupt or truncated`,
    );
  }
}

/**
 * One region of an upload that decodeImage already accepted, decoded again at up to the working
 * size: a digit small in a big photo is read from the photo's own pixels, not from the few the
 * whole picture was shrunk to.
 */
export async function decodeRegion(bytes: Buffer, region: Region): Promise<RawImage> {
  const { data, info } = await sharp(bytes, { limitInputPixels: false, failOn: 'error' })
    .rotate()
    .extract(region)
    .resize({ width: WORKING_SIZE, height: WORKING_SIZE, fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return rawImage(data, info);
}
