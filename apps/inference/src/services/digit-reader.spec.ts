import sharp from 'sharp';
import {
  EmbeddedMnistSource,
  loadMnist,
  prepareDigit,
  type LabeledImages,
} from '@mnist-mlops/data';
import { mnistDigit, pictureOf } from '../test-support/fixtures';
import { readDigit } from './digit-reader';
import { decodeImage } from './image-decoder';

let test: LabeledImages;
beforeAll(async () => {
  test = (await loadMnist(new EmbeddedMnistSource(), { testLimit: 10 })).test;
});

/** Pearson correlation of two 28x28 images. */
function correlation(a: Uint8Array, b: Uint8Array): number {
  const mean = (v: Uint8Array) => v.reduce((s, x) => s + x, 0) / v.length;
  const [ma, mb] = [mean(a), mean(b)];
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

const MAX_PIXELS = 50_000_000;

describe('reading a digit', () => {
  it('reads a digit far away in a 12 MP photo from the photo itself, as sharp as a close one', async () => {
    for (const index of [0, 1, 2]) {
      const { pixels } = mnistDigit(test, index);
      // 6% of the frame's height: 10 pixels tall once the photo is shrunk to the working size.
      const far = await (
        await pictureOf(pixels, {
          scale: 7,
          canvas: [4000, 3000],
          at: [2900, 700],
          darkOnLight: true,
        })
      )
        .jpeg({ quality: 90 })
        .toBuffer();
      const near = await (
        await pictureOf(pixels, { scale: 7, canvas: [600, 450], at: [200, 120], darkOnLight: true })
      )
        .png()
        .toBuffer();
      const reference = (await readDigit(near, MAX_PIXELS)).pixels;
      const shrunk = prepareDigit(await decodeImage(far, MAX_PIXELS)).pixels;
      const reread = (await readDigit(far, MAX_PIXELS)).pixels;
      expect(correlation(reread, reference)).toBeGreaterThan(0.93);
      expect(correlation(reread, reference)).toBeGreaterThan(correlation(shrunk, reference));
    }
  });

  it('reads a big digit in a big photo in one pass, and a small PNG as it is', async () => {
    const { pixels } = mnistDigit(test, 0);
    const photo = await (
      await pictureOf(pixels, {
        scale: 60,
        canvas: [3000, 2200],
        at: [600, 300],
        darkOnLight: true,
      })
    )
      .jpeg()
      .toBuffer();
    const once = prepareDigit(await decodeImage(photo, MAX_PIXELS));
    expect((await readDigit(photo, MAX_PIXELS)).pixels).toEqual(once.pixels);
    const crop = await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toBuffer();
    expect((await readDigit(crop, MAX_PIXELS)).pixels).toEqual(
      prepareDigit(await decodeImage(crop, MAX_PIXELS)).pixels,
    );
  });
});
