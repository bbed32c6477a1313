/**
 * `nx run bench:preprocess`: the CPU time of one picture's preprocessing (`prepareDigit`) per kind
 * of picture, beside the time sharp takes to decode it to the analysis size, as the service does.
 * Both run in this process, one picture at a time, after a warm-up round. BENCH_PICTURES pictures
 * per kind (default 20), BENCH_ROUNDS rounds over them (default 10). Prints one JSON line.
 */
import sharp from 'sharp';
import {
  ANALYSIS_SIDE,
  EmbeddedMnistSource,
  loadMnist,
  prepareDigit,
  type RawImage,
} from '@mnist-mlops/data';
import { publishReport } from './bench-support';
import { makePicture, PICTURE_KINDS } from './picture-kinds';

const PICTURES = Math.max(1, Number(process.env['BENCH_PICTURES'] ?? 20));
const ROUNDS = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 10));

sharp.cache(false);
sharp.concurrency(1);

async function decode(bytes: Buffer): Promise<RawImage> {
  const { data, info } = await sharp(bytes)
    .rotate()
    .resize({
      width: ANALYSIS_SIDE,
      height: ANALYSIS_SIDE,
      fit: 'inside',
      withoutEnlargement: true,
    })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const channels = info.channels as RawImage['channels'];
  return { width: info.width, height: info.height, channels, data, maxValue: 255 };
}

const round2 = (ms: number) => Number(ms.toFixed(2));

async function main(): Promise<void> {
  const test = (await loadMnist(new EmbeddedMnistSource(), { trainLimit: 1, testLimit: PICTURES }))
    .test;
  const kinds: Record<string, { decodeMs: number; prepareMs: number; size: string }> = {};
  for (const kind of PICTURE_KINDS) {
    const pictures = await Promise.all(
      Array.from({ length: PICTURES }, (_, i) =>
        makePicture(kind, test.images.subarray(i * 784, (i + 1) * 784), i),
      ),
    );
    let decodeMs = 0;
    const raws: RawImage[] = [];
    for (let round = 0; round <= ROUNDS; round++)
      for (const picture of pictures) {
        const start = performance.now();
        const raw = await decode(picture.bytes);
        if (round > 0) decodeMs += performance.now() - start;
        else raws.push(raw);
      }
    for (const raw of raws) prepareDigit(raw);
    const start = performance.now();
    for (let round = 0; round < ROUNDS; round++) for (const raw of raws) prepareDigit(raw);
    const count = ROUNDS * PICTURES;
    kinds[kind] = {
      size: `${raws[0].width}x${raws[0].height}`,
      decodeMs: round2(decodeMs / count),
      prepareMs: round2((performance.now() - start) / count),
    };
  }
  publishReport('preprocess', { picturesPerKind: PICTURES, rounds: ROUNDS, kinds });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
