import { describeDataset, type LabeledImages, type MnistDataset } from '@mnist-mlops/data';
import type { DatasetInput } from '@mnist-mlops/tracking';

/**
 * The three datasets of a run as the tracker records them: what was trained on, what chose the
 * best epoch, what the model was tested on; each with the digest of its exact bytes and the
 * source it was read from.
 */
export function datasetInputs(
  dataset: MnistDataset,
  split: { train: LabeledImages; validation: LabeledImages },
): DatasetInput[] {
  const source = {
    sourceType: dataset.origin.type,
    source: JSON.stringify({ uri: dataset.origin.uri }),
  };
  const parts: [string, LabeledImages, string][] = [
    ['mnist-train', split.train, 'training'],
    ['mnist-validation', split.validation, 'validation'],
    ['mnist-test', dataset.test, 'test'],
  ];
  return parts
    .filter(([, data]) => data.count > 0)
    .map(([name, data, context]) => ({ ...describeDataset(name, data), ...source, context }));
}

/** The first image of a set as the model takes it, [1, 28, 28, 1] in [0, 1]: an input example. */
export function inputExample(data: LabeledImages): number[][][][] {
  const rows: number[][][] = [];
  for (let y = 0; y < data.height; y++) {
    const row: number[][] = [];
    for (let x = 0; x < data.width; x++) row.push([data.images[y * data.width + x] / 255]);
    rows.push(row);
  }
  return [rows];
}
