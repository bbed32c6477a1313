import type { LabeledImages } from './mnist-dataset';
import { describeDataset } from './dataset-description';

function images(labels: number[], fill: (i: number) => number): LabeledImages {
  const count = labels.length;
  return {
    count,
    height: 28,
    width: 28,
    images: Uint8Array.from({ length: count * 784 }, (_, i) => fill(i)),
    labels: Uint8Array.from(labels),
  };
}

describe('describeDataset', () => {
  it('gives the same digest to the same bytes, and another to any change of pixels or labels', () => {
    const a = describeDataset(
      'mnist-train',
      images([1, 2, 3], (i) => i % 256),
    );
    expect(
      describeDataset(
        'mnist-train',
        images([1, 2, 3], (i) => i % 256),
      ).digest,
    ).toBe(a.digest);
    expect(
      describeDataset(
        'mnist-train',
        images([1, 2, 4], (i) => i % 256),
      ).digest,
    ).not.toBe(a.digest);
    expect(
      describeDataset(
        'mnist-train',
        images([1, 2, 3], (i) => (i === 5 ? 0 : i % 256)),
      ).digest,
    ).not.toBe(a.digest);
    expect(a.digest).toMatch(/^[0-9a-f]{16}$/);
  });

  it('profiles the images per class and writes a tensor-spec schema of images and labels', () => {
    const description = describeDataset(
      'mnist-test',
      images([0, 0, 7], () => 0),
    );
    expect(JSON.parse(description.profile)).toMatchObject({
      images: 3,
      images_per_class: { '0': 2, '7': 1, '9': 0 },
      features_shape: [3, 28, 28],
    });
    const schema = JSON.parse(description.schema).mlflow_tensorspec;
    expect(JSON.parse(schema.features)).toEqual([
      { type: 'tensor', 'tensor-spec': { dtype: 'uint8', shape: [-1, 28, 28] }, name: 'image' },
    ]);
    expect(JSON.parse(schema.targets)[0].name).toBe('label');
  });
});
