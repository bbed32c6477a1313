import { NoDigitFoundError, prepareDigit, type PreparedDigit } from '@mnist-mlops/data';
import { decodeImage, decodeRegion, WORKING_SIZE, type Region } from './image-decoder';

/**
 * A digit found smaller than this (longer side, in pixels of the shrunk picture) in a picture that
 * was shrunk is read again from the upload's own pixels around it: a dozen pixels hold too little
 * of the shape for a 20x20 box, while 32 and more hold enough. Reading again decodes the whole
 * photo (about 0.1 s of CPU for 12 MP), so only digits this small pay for it.
 */
export const REREAD_BELOW = WORKING_SIZE / 8;
/** The region read again spans this many times the digit's longer side: paper all round it. */
const REREAD_CONTEXT = 3;

export interface ReadDigit extends PreparedDigit {
  /** The digit's box as a share of the whole picture: how much preparation cropped away. */
  cropShare: number;
}

/**
 * Upload -> decoded picture -> the digit prepared as MNIST was. A big photo is decoded shrunk to
 * the working size; when the digit turns out to be small in it (a page photographed from afar, a
 * digit in a corner of a 12 MP frame), the region around it is decoded again at full detail and
 * the digit prepared from that. If the region gives nothing, the first reading stands.
 */
export async function readDigit(bytes: Buffer, maxPixels: number): Promise<ReadDigit> {
  const picture = await decodeImage(bytes, maxPixels);
  const found = prepareDigit(picture);
  const cropShare = (found.box.width * found.box.height) / (picture.width * picture.height);
  const side = Math.max(found.box.width, found.box.height);
  if (picture.scale >= 1 || side >= REREAD_BELOW) return { ...found, cropShare };
  const region = around(found.box, side, picture);
  try {
    return { ...prepareDigit(await decodeRegion(bytes, region)), cropShare };
  } catch (error) {
    if (error instanceof NoDigitFoundError) return { ...found, cropShare };
    throw error;
  }
}

/** A square REREAD_CONTEXT times `side`, centred on the box, in the upload's pixels. */
function around(
  box: Region,
  side: number,
  picture: { width: number; height: number; scale: number },
): Region {
  const width = Math.round(picture.width / picture.scale);
  const height = Math.round(picture.height / picture.scale);
  const span = Math.min(width, height, Math.round((side * REREAD_CONTEXT) / picture.scale));
  const centreX = (box.left + box.width / 2) / picture.scale;
  const centreY = (box.top + box.height / 2) / picture.scale;
  const left = Math.max(0, Math.min(width - span, Math.round(centreX - span / 2)));
  const top = Math.max(0, Math.min(height - span, Math.round(centreY - span / 2)));
  return { left, top, width: span, height: span };
}
