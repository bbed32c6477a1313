import { createHash } from 'node:crypto';
import { NUM_CLASSES, type LabeledImages } from './mnist-dataset';

/** A set of labeled images as an experiment tracker records it: name, digest, schema, profile. */
export interface DatasetDescription {
  name: string;
  /** sha256 of the exact bytes used (images, then labels), first 16 hex digits. */
  digest: string;
  /** MLflow's tensor-spec schema (as mlflow.data's numpy datasets write it), JSON. */
  schema: string;
  /** Image count, images per class, shapes; JSON. */
  profile: string;
}

/**
 * Describes the images a run used. The digest is of the bytes themselves, so the same split of
 * the same files (same seed, same limits) gives the same digest in every run, and any change of
 * data, seed or limit gives another.
 */
export function describeDataset(name: string, data: LabeledImages): DatasetDescription {
  const size = data.count * data.height * data.width;
  const digest = createHash('sha256')
    .update(data.images.subarray(0, size))
    .update(data.labels.subarray(0, data.count))
    .digest('hex')
    .slice(0, 16);
  const perClass = new Array<number>(NUM_CLASSES).fill(0);
  for (let i = 0; i < data.count; i++) perClass[data.labels[i]]++;
  const tensor = (tensorName: string, shape: number[]) => ({
    type: 'tensor',
    'tensor-spec': { dtype: 'uint8', shape },
    name: tensorName,
  });
  return {
    name,
    digest,
    schema: JSON.stringify({
      mlflow_tensorspec: {
        features: JSON.stringify([tensor('image', [-1, data.height, data.width])]),
        targets: JSON.stringify([tensor('label', [-1])]),
      },
    }),
    profile: JSON.stringify({
      images: data.count,
      images_per_class: Object.fromEntries(perClass.map((count, digit) => [String(digit), count])),
      features_shape: [data.count, data.height, data.width],
      features_nbytes: size,
      targets_shape: [data.count],
      targets_nbytes: data.count,
    }),
  };
}
