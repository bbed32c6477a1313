import 'reflect-metadata';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildCnn, loadModel, saveModel } from '@mnist-mlops/model';
import { activateBackend } from '@mnist-mlops/compute';
import { BLOB_STORE, LocalStore, type BlobStore } from '@mnist-mlops/storage';
import { waitUntil } from '@mnist-mlops/testing';
import { createTracking, startRun } from '@mnist-mlops/tracking';
import { ServingMetrics } from '../observability/metrics';
import { startService } from '../service';
import { saveVersion, testContainer } from '../test-support/fixtures';
import { ModelService } from './model-service';

const digitSeven = new Uint8Array(784);
for (let y = 6; y < 22; y++) digitSeven[y * 28 + 14] = 255;

function randomModel(seed: number) {
  return buildCnn({
    conv1Filters: 4,
    conv2Filters: 8,
    kernelSize: 3,
    denseUnits: 0,
    dropout: 0,
    seed,
  });
}

beforeAll(() => activateBackend('wasm'));

describe('ModelService', () => {
  it('swaps in a new version atomically; a broken one leaves the old one serving', async () => {
    const root = mkdtempSync(join(tmpdir(), 'swap-'));
    await saveVersion(randomModel(1), root, 1);
    const { container, logs } = testContainer({ MODEL_URI: join(root, 'mnist-cnn') });
    const service = await startService(container);
    const models = container.resolve(ModelService);
    const metrics = container.resolve(ServingMetrics);
    await waitUntil('the model to load', () => models.model);
    const v1 = (await models.predict([digitSeven])).probabilities[0];
    expect(models.model?.engine.name).toBe('onnxruntime');
    expect(models.model?.version).toBe('1');
    expect(await service.reload()).toBe(false);

    await saveVersion(randomModel(2), root, 2);
    const tensorsBefore = tf.memory().numTensors;
    expect(await service.reload()).toBe(true);
    expect(models.model?.version).toBe('2');
    expect((await models.predict([digitSeven])).probabilities[0]).not.toEqual(v1);
    // The old model's weights were released once nothing used them.
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    // Version 3 is broken: its weights file is cut short.
    const broken = await saveVersion(randomModel(3), root, 3);
    writeFileSync(join(broken, 'weights.bin'), Buffer.alloc(10));
    expect(await service.reload()).toBe(false);
    expect(models.model?.version).toBe('2');
    expect(logs()).toContain('new model not loaded, still serving version 2');
    expect(await metrics.registry.getSingleMetricAsString('model_reloads_total')).toMatch(
      /result="failure"} 1/,
    );
    expect(await metrics.registry.getSingleMetricAsString('model_info')).toContain(
      'model_info{name="mnist-cnn",version="2"} 1',
    );
    await service.shutdown();
  });

  it('asked to reload while a load runs, checks MODEL_URI again once that load is over', async () => {
    const root = mkdtempSync(join(tmpdir(), 'reload-during-load-'));
    await saveVersion(randomModel(1), root, 1);
    const { container } = testContainer({ MODEL_URI: join(root, 'mnist-cnn') });
    const service = await startService(container);
    const models = container.resolve(ModelService);
    await waitUntil('the model to load', () => models.model);

    // The next load stops at reading the weights of version 2, which it has already chosen.
    await saveVersion(randomModel(2), root, 2);
    const store = container.resolve<BlobStore>(BLOB_STORE);
    const read = store.read.bind(store);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reachedWeights = false;
    jest.spyOn(store, 'read').mockImplementation(async (uri) => {
      if (uri.endsWith('2/weights.bin')) {
        reachedWeights = true;
        await gate;
      }
      return read(uri);
    });
    const first = service.reload();
    await waitUntil('the load to choose version 2', () => reachedWeights);
    // Version 3 is published and a SIGHUP asks for it while version 2 is still loading.
    await saveVersion(randomModel(3), root, 3);
    const second = service.reload();
    release();
    expect(await first).toBe(true);
    expect(await second).toBe(true);
    expect(models.model?.version).toBe('3');
    await service.shutdown();
  });

  it('serves models:/<name>@<alias> from the MLflow registry and follows the alias', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-'));
    const tracking = createTracking(join(dir, 'mlruns'), {});
    const register = async (seed: number) => {
      const run = await startRun(tracking, {
        experimentName: 'mnist',
        runName: `r${seed}`,
        sourceName: 'test',
      });
      const folder = join(dir, `model-${seed}`);
      await saveModel(randomModel(seed), new LocalStore(), folder);
      for (const file of ['model.json', 'weights.bin'])
        await run.logArtifact(`model/${file}`, await new LocalStore().read(join(folder, file)));
      await run.registerModel('mnist-cnn', 'model', 'champion');
      await run.end();
      return loadModel(new LocalStore(), folder);
    };
    const first = await register(11);
    const { container } = testContainer({
      MODEL_URI: 'models:/mnist-cnn@champion',
      MLFLOW_TRACKING_URI: join(dir, 'mlruns'),
    });
    const service = await startService(container);
    const models = container.resolve(ModelService);
    await waitUntil('the model to load', () => models.model);
    expect(models.model).toMatchObject({ name: 'mnist-cnn', version: '1' });
    const expected = (
      first.predict(
        tf.tensor4d(digitSeven, [1, 28, 28, 1], 'int32').toFloat().div(255),
      ) as tf.Tensor
    ).dataSync();
    // ONNX Runtime's kernels sum in another order than tfjs's: equal to float32 rounding.
    const served = (await models.predict([digitSeven])).probabilities[0];
    served.forEach((p, d) => expect(p).toBeCloseTo(expected[d], 6));

    await register(12);
    expect(await service.reload()).toBe(true);
    expect(models.model?.version).toBe('2');
    await service.shutdown();
  });

  it('runs the model on ONNX Runtime by default and on tfjs with INFERENCE_ENGINE=tfjs, alike', async () => {
    const root = mkdtempSync(join(tmpdir(), 'engines-'));
    await saveVersion(randomModel(4), root, 1);
    const answers: Float32Array[] = [];
    for (const engine of ['onnxruntime', 'tfjs']) {
      const { container } = testContainer({
        MODEL_URI: join(root, 'mnist-cnn'),
        INFERENCE_ENGINE: engine,
      });
      const service = await startService(container);
      const models = container.resolve(ModelService);
      await waitUntil('the model to load', () => models.model);
      expect(models.model?.engine.name).toBe(engine);
      answers.push((await models.predict([digitSeven, digitSeven])).probabilities[1]);
      await service.shutdown();
    }
    answers[0].forEach((p, d) => expect(p).toBeCloseTo(answers[1][d], 6));
  });
});
