import { MNIST_SIZE } from '../images/digit-image';
import type { LabeledImages } from '../mnist/mnist-dataset';
import {
  FEATURE_NAMES,
  featureBin,
  pictureStatistics,
  PROFILE_BINS,
  profileImages,
} from './input-profile';

/** A 28x28 with a filled rectangle of `value` from (left, top), `width` x `height`. */
function rectangle(left: number, top: number, width: number, height: number, value = 255) {
  const pixels = new Uint8Array(MNIST_SIZE * MNIST_SIZE);
  for (let y = top; y < top + height; y++)
    for (let x = left; x < left + width; x++) pixels[y * MNIST_SIZE + x] = value;
  return pixels;
}

describe('pictureStatistics', () => {
  it('measures ink share, mean intensity and the box of a 28x28 taken as its own picture', () => {
    const statistics = pictureStatistics(rectangle(4, 4, 14, 14));
    expect(statistics.inkShare).toBeCloseTo(196 / 784, 12);
    expect(statistics.meanIntensity).toBeCloseTo(196 / 784, 12);
    expect(statistics.cropShare).toBeCloseTo(196 / 784, 12);
    expect(statistics.inverted).toBe(false);
  });

  it('counts faint pixels in the intensity and the box but not as ink', () => {
    const statistics = pictureStatistics(rectangle(0, 0, 28, 14, 100));
    expect(statistics.inkShare).toBe(0);
    expect(statistics.meanIntensity).toBeCloseTo(0.5 * (100 / 255), 12);
    expect(statistics.cropShare).toBeCloseTo(0.5, 12);
  });

  it('takes what preparation did from the picture when there was one', () => {
    const statistics = pictureStatistics(rectangle(4, 4, 14, 14), {
      inverted: true,
      cropShare: 0.03,
    });
    expect(statistics).toMatchObject({ inverted: true, cropShare: 0.03 });
  });

  it('gives an empty picture no box', () => {
    expect(pictureStatistics(new Uint8Array(784)).cropShare).toBe(0);
  });
});

describe('featureBin', () => {
  it('puts a value in the first bin whose upper edge is above it, the last bin open', () => {
    const edges = [0.1, 0.2, 0.3];
    expect(featureBin(edges, 0)).toBe(0);
    expect(featureBin(edges, 0.1)).toBe(1);
    expect(featureBin(edges, 0.25)).toBe(2);
    expect(featureBin(edges, 0.99)).toBe(3);
  });
});

describe('profileImages', () => {
  function images(rectangles: [number, number, number, number][], labels: number[]): LabeledImages {
    const pixels = new Uint8Array(rectangles.length * 784);
    rectangles.forEach((r, i) => pixels.set(rectangle(...r), i * 784));
    return {
      count: labels.length,
      height: 28,
      width: 28,
      images: pixels,
      labels: new Uint8Array(labels),
    };
  }

  it('counts images per class and per bin of every feature', () => {
    const profile = profileImages(
      images(
        [
          [4, 4, 14, 14],
          [10, 2, 4, 20],
          [10, 2, 4, 20],
        ],
        [0, 1, 1],
      ),
    );
    expect(profile.images).toBe(3);
    expect(profile.labels).toEqual([1, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
    for (const name of FEATURE_NAMES) {
      const { edges, counts } = profile.features[name];
      expect(counts).toHaveLength(edges.length + 1);
      expect(counts.reduce((a, b) => a + b)).toBe(3);
    }
    expect(profile.features.inverted).toEqual({ edges: [0.5], counts: [3, 0] });
  });

  it('bins at the deciles, so every bin holds about a tenth of the training images', () => {
    // Boxes of 1 to 100 pixels: ink shares spread evenly.
    const boxes = Array.from({ length: 100 }, (_, i): [number, number, number, number] => [
      0,
      0,
      i + 1,
      1,
    ]);
    const profile = profileImages(
      images(
        boxes,
        boxes.map((_, i) => i % 10),
      ),
    );
    const { edges, counts } = profile.features.ink_share;
    expect(edges).toHaveLength(PROFILE_BINS - 1);
    expect(edges).toEqual([...edges].sort((a, b) => a - b));
    for (const count of counts) expect(count).toBe(10);
  });
});
