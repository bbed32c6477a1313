import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LocalStore } from '@mnist-mlops/storage';
import { encodeIdx } from '../idx/idx-reader';
import { EmbeddedMnistSource } from '../sources/embedded-source';
import { StoreDatasetSource } from '../sources/store-source';
import { resolveDatasetSource } from '../sources/resolve-source';
import { DatasetError, loadMnist, MNIST_FILES } from './mnist-dataset';

function writeDataset(
  files: Partial<Record<keyof typeof MNIST_FILES, Uint8Array>>,
  gzip = false,
): string {
  const dir = mkdtempSync(join(tmpdir(), 'mnist-'));
  for (const [key, bytes] of Object.entries(files)) {
    const name = MNIST_FILES[key as keyof typeof MNIST_FILES];
    writeFileSync(join(dir, gzip ? `${name}.gz` : name), gzip ? gzipSync(bytes) : bytes);
  }
  return dir;
}

const tinyImages = (n: number) =>
  encodeIdx({ type: 'uint8', dims: [n, 28, 28], data: new Uint8Array(n * 784).fill(9) });
const tinyLabels = (labels: number[]) =>
  encodeIdx({ type: 'uint8', dims: [labels.length], data: Uint8Array.from(labels) });

describe('loadMnist', () => {
  it('reads the full embedded MNIST: 60,000 training and 10,000 test images', async () => {
    const data = await loadMnist(new EmbeddedMnistSource());
    expect(data.train).toMatchObject({ count: 60000, height: 28, width: 28 });
    expect(data.test).toMatchObject({ count: 10000, height: 28, width: 28 });
    expect(data.train.images.length).toBe(60000 * 784);
    // The first labels of the original files.
    expect([...data.train.labels.subarray(0, 5)]).toEqual([5, 0, 4, 1, 9]);
    expect([...data.test.labels.subarray(0, 5)]).toEqual([7, 2, 1, 0, 4]);
  });

  it('limits the number of images when asked', async () => {
    const data = await loadMnist(new EmbeddedMnistSource(), { trainLimit: 300, testLimit: 50 });
    expect(data.train.count).toBe(300);
    expect(data.train.images.length).toBe(300 * 784);
    expect(data.test.labels.length).toBe(50);
  });

  it('reads a folder of gzipped IDX files through the BlobStore', async () => {
    const dir = writeDataset(
      {
        trainImages: tinyImages(3),
        trainLabels: tinyLabels([1, 2, 3]),
        testImages: tinyImages(2),
        testLabels: tinyLabels([4, 5]),
      },
      true,
    );
    const data = await loadMnist(resolveDatasetSource(dir, new LocalStore()));
    expect(data.train.count).toBe(3);
    expect([...data.test.labels]).toEqual([4, 5]);
    expect(data.source).toBe(`IDX files in ${dir}`);
  });

  it('names the missing file of an incomplete folder', async () => {
    const dir = writeDataset({
      trainImages: tinyImages(1),
      trainLabels: tinyLabels([1]),
      testImages: tinyImages(1),
    });
    await expect(loadMnist(new StoreDatasetSource(new LocalStore(), dir))).rejects.toThrow(
      `${dir} has no t10k-labels-idx1-ubyte (looked for t10k-labels-idx1-ubyte, t10k-labels-idx1-ubyte.gz, t10k-labels.idx1-ubyte, t10k-labels.idx1-ubyte.gz)`,
    );
  });

  it('says when the dataset folder does not exist', async () => {
    await expect(
      loadMnist(new StoreDatasetSource(new LocalStore(), '/no/such/folder')),
    ).rejects.toThrow(new DatasetError('dataset folder /no/such/folder is missing or empty'));
  });

  it('rejects labels that do not match the images', async () => {
    const dir = writeDataset({
      trainImages: tinyImages(3),
      trainLabels: tinyLabels([1, 2]),
      testImages: tinyImages(1),
      testLabels: tinyLabels([1]),
    });
    await expect(loadMnist(new StoreDatasetSource(new LocalStore(), dir))).rejects.toThrow(
      /has 2 labels but .* has 3 images/,
    );
  });

  it('rejects labels that are not digits', async () => {
    const dir = writeDataset({
      trainImages: tinyImages(2),
      trainLabels: tinyLabels([1, 12]),
      testImages: tinyImages(1),
      testLabels: tinyLabels([1]),
    });
    await expect(loadMnist(new StoreDatasetSource(new LocalStore(), dir))).rejects.toThrow(
      /label 12 at index 1 is not a digit 0-9/,
    );
  });

  it('rejects a corrupt image file with the IDX error and its location', async () => {
    const dir = writeDataset({
      trainImages: tinyImages(2).subarray(0, 100),
      trainLabels: tinyLabels([1, 2]),
      testImages: tinyImages(1),
      testLabels: tinyLabels([1]),
    });
    await expect(loadMnist(new StoreDatasetSource(new LocalStore(), dir))).rejects.toThrow(
      `${join(dir, 'train-images-idx3-ubyte')}: truncated: header says 2x28x28 uint8 values (1584 bytes), file has 100 bytes`,
    );
  });
});
