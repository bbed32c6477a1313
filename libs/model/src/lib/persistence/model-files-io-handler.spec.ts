import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStore } from '@mnist-mlops/storage';
import { buildCnn } from '../architecture/cnn';
import { activateBackend } from '@mnist-mlops/compute';
import { loadModel, ModelLoadError, saveModel } from './model-files-io-handler';
import {
  latestVersionLocation,
  listVersions,
  nextVersionLocation,
  readMetadata,
  writeMetadata,
} from './versioned-models';

const store = new LocalStore();

describe('saving and loading models', () => {
  beforeAll(() => activateBackend('wasm'));

  it('gives identical predictions after save then load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-'));
    const model = buildCnn({
      conv1Filters: 4,
      conv2Filters: 8,
      kernelSize: 3,
      denseUnits: 16,
      dropout: 0.5,
      seed: 3,
    });
    await saveModel(model, store, join(dir, 'm'));
    const loaded = await loadModel(store, join(dir, 'm'));
    const input = tf.randomUniform([5, 28, 28, 1], 0, 1, 'float32', 9);
    const before = (model.predict(input) as tf.Tensor).dataSync();
    const after = (loaded.predict(input) as tf.Tensor).dataSync();
    expect([...after]).toEqual([...before]);
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(
      model.layers.map((l) => l.getClassName()),
    );
    tf.dispose([input]);
  });

  it('names the location and the problem when the model is missing or broken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-'));
    await expect(loadModel(store, join(dir, 'none'))).rejects.toThrow(
      new ModelLoadError(join(dir, 'none'), 'no model.json there'),
    );
    writeFileSync(join(dir, 'model.json'), '{ not json');
    await expect(loadModel(store, dir)).rejects.toThrow(
      `cannot load the model at ${dir}: model.json is not valid JSON`,
    );

    const good = join(dir, 'good');
    await saveModel(
      buildCnn({
        conv1Filters: 2,
        conv2Filters: 2,
        kernelSize: 3,
        denseUnits: 0,
        dropout: 0,
        seed: 1,
      }),
      store,
      good,
    );
    writeFileSync(join(good, 'weights.bin'), Buffer.alloc(10));
    await expect(loadModel(store, good)).rejects.toThrow(
      /weights are 10 bytes, the manifest needs \d+/,
    );
  });
});

describe('versioned model folders', () => {
  it('counts versions up from 1 and finds the latest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'models-'));
    await expect(latestVersionLocation(store, dir, 'cnn')).rejects.toThrow(/no saved versions/);
    expect(await nextVersionLocation(store, dir, 'cnn')).toEqual({
      version: 1,
      location: `${dir}/cnn/1`,
    });
    await store.write(join(dir, 'cnn/1/model.json'), '{}');
    await store.write(join(dir, 'cnn/2/model.json'), '{}');
    await store.write(join(dir, 'cnn/10/model.json'), '{}');
    await store.write(join(dir, 'cnn/notes/readme.txt'), 'x');
    expect(await listVersions(store, dir, 'cnn')).toEqual([1, 2, 10]);
    expect(await nextVersionLocation(store, dir, 'cnn')).toEqual({
      version: 11,
      location: `${dir}/cnn/11`,
    });
    expect(await latestVersionLocation(store, dir, 'cnn')).toEqual({
      version: 10,
      location: `${dir}/cnn/10`,
    });
  });

  it('round-trips metadata', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'models-'));
    const metadata = {
      name: 'm',
      version: 1,
      createdAt: 'now',
      backend: 'wasm',
      dataset: 'd',
      params: { epochs: 1 },
      metrics: { testAccuracy: 0.99 },
    };
    expect(await readMetadata(store, dir)).toBeUndefined();
    await writeMetadata(store, dir, metadata);
    expect(await readMetadata(store, dir)).toEqual(metadata);
  });
});
