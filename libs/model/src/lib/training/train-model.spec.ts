import * as tf from '@tensorflow/tfjs';
import {
  EmbeddedMnistSource,
  loadMnist,
  splitValidation,
  toTensors,
  type MnistDataset,
} from '@mnist-mlops/data';
import { buildCnn, compileForTraining } from '../architecture/cnn';
import { activateBackend } from '@mnist-mlops/compute';
import { trainModel, type BatchProgress, type EpochMetrics } from './train-model';

const params = {
  conv1Filters: 8,
  conv2Filters: 16,
  kernelSize: 3,
  denseUnits: 0,
  dropout: 0.25,
  seed: 1,
};

describe('trainModel on wasm', () => {
  let mnist: MnistDataset;
  beforeAll(async () => {
    await activateBackend('wasm');
    mnist = await loadMnist(new EmbeddedMnistSource(), { trainLimit: 400, testLimit: 100 });
  });

  it('lowers the loss on a few hundred real MNIST images, with one set of metrics per epoch and no tensor growth', async () => {
    const split = splitValidation(mnist.train, 0.25, 1);
    const train = toTensors(split.train);
    const validation = toTensors(split.validation);
    const model = buildCnn(params);
    compileForTraining(model, 0.003);

    const epochs: EpochMetrics[] = [];
    const batches: BatchProgress[] = [];
    const tensorsAfterEpoch: number[] = [];
    const history = await trainModel(
      model,
      train,
      validation,
      { epochs: 4, batchSize: 32, seed: 1 },
      {
        onBatchEnd: (progress) => batches.push(progress),
        onEpochEnd: (metrics) => {
          epochs.push(metrics);
          tensorsAfterEpoch.push(tf.memory().numTensors);
        },
      },
    );

    expect(history).toEqual(epochs);
    expect(history.map((m) => m.epoch)).toEqual([1, 2, 3, 4]);
    expect(batches.filter((b) => b.epoch === 1).map((b) => b.batch)).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
    expect(batches.at(-1)).toMatchObject({ batches: 10, images: 300 });
    expect(history[3].loss).toBeLessThan(history[0].loss * 0.7);
    expect(history[3].valLoss).toBeLessThan(history[0].valLoss as number);
    expect(history[3].valAccuracy).toBeGreaterThan(0.5);
    for (const m of history) expect(m.imagesPerSecond).toBeGreaterThan(0);
    // The per-epoch tensor count is flat: batches are disposed as training goes.
    expect(new Set(tensorsAfterEpoch.slice(1)).size).toBe(1);

    tf.dispose([train.xs, train.ys, validation.xs, validation.ys]);
    model.dispose();
  });

  it('with the full recipe (augmentation, batch norm, cosine schedule, label smoothing) still learns, and keeps the best epoch', async () => {
    const split = splitValidation(mnist.train, 0.25, 1);
    const train = toTensors(split.train);
    const validation = toTensors(split.validation);
    const model = buildCnn({ ...params, batchNorm: true });
    compileForTraining(model, 0.003, 0.1);
    const rates: number[] = [];
    const optimizer = model.optimizer as unknown as { learningRate: number };
    const kept: { epoch: number; valAccuracy: number }[] = [];
    const tensorsAfterEpoch: number[] = [];
    const weightsAfterEpoch: number[][][] = [];
    const history = await trainModel(
      model,
      train,
      validation,
      {
        epochs: 5,
        batchSize: 32,
        seed: 1,
        restoreBest: true,
        schedule: { kind: 'cosine', baseRate: 0.003, warmupSteps: 10 },
        augmentation: {
          rotation: 10,
          scale: 0.1,
          shear: 10,
          shift: 2,
          elastic: 1,
          stroke: 0.5,
          blur: 0.3,
          contrast: 0.2,
        },
      },
      {
        onBatchEnd: () => rates.push(optimizer.learningRate),
        onEpochEnd: ({ epoch }) => {
          tensorsAfterEpoch.push(tf.memory().numTensors);
          weightsAfterEpoch.push(model.getWeights().map((w) => Array.from(w.dataSync())));
          // The last epoch starts from zeroed weights, so an earlier one is the best whatever the
          // seed and the backend's rounding do to the run.
          if (epoch === 4) {
            const zeros = model.getWeights().map((w) => tf.zerosLike(w));
            model.setWeights(zeros);
            tf.dispose(zeros);
          }
        },
        onRestoreBest: (epoch, valAccuracy) => kept.push({ epoch, valAccuracy }),
      },
    );
    expect(history[3].loss).toBeLessThan(history[0].loss);
    expect(Math.max(...rates)).toBeCloseTo(0.003, 6);
    expect(rates.at(-1)).toBeLessThan(0.0001);
    expect(new Set(tensorsAfterEpoch.slice(1)).size).toBe(1);
    // The first epoch with the best validation accuracy is kept, and the model holds its weights.
    const bestAccuracy = Math.max(...history.map((m) => m.valAccuracy ?? 0));
    const bestEpoch = history.findIndex((m) => m.valAccuracy === bestAccuracy) + 1;
    expect(bestEpoch).toBeLessThan(5);
    expect(history[4].valAccuracy).toBeLessThan(bestAccuracy);
    expect(kept).toEqual([{ epoch: bestEpoch, valAccuracy: bestAccuracy }]);
    const now = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(now).toEqual(weightsAfterEpoch[bestEpoch - 1]);
    expect(now).not.toEqual(weightsAfterEpoch[4]);
    tf.dispose([train.xs, train.ys, validation.xs, validation.ys]);
    model.dispose();
  });
});

describe('trainModel on the native backend', () => {
  beforeAll(() => activateBackend('tensorflow'));

  it('trains the default CNN on real MNIST images and lowers the loss', async () => {
    const mnist = await loadMnist(new EmbeddedMnistSource(), { trainLimit: 1000 });
    const train = toTensors(mnist.train);
    const model = buildCnn({
      conv1Filters: 32,
      conv2Filters: 64,
      kernelSize: 3,
      denseUnits: 0,
      dropout: 0.5,
      seed: 42,
    });
    compileForTraining(model, 0.001);
    const history = await trainModel(model, train, undefined, {
      epochs: 3,
      batchSize: 64,
      seed: 42,
    });
    expect(history[2].loss).toBeLessThan(history[0].loss * 0.6);
    tf.dispose([train.xs, train.ys]);
  });
});
