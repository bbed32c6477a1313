import * as tf from '@tensorflow/tfjs';
import { batchesPerEpoch, shuffledBatches, type AugmentSettings } from '@mnist-mlops/data';
import { learningRateAt, type LearningRateSchedule } from './learning-rate';

export interface EpochMetrics {
  /** 1-based, as users count epochs and MLflow steps them. */
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  seconds: number;
  imagesPerSecond: number;
}

export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  images: number;
  loss: number;
  accuracy: number;
  seconds: number;
}

/** Hooks for progress bars and trackers; all optional. */
export interface TrainingListener {
  onTrainBegin?(info: {
    epochs: number;
    batchesPerEpoch: number;
    trainImages: number;
    validationImages: number;
  }): void;
  onBatchEnd?(progress: BatchProgress): void;
  onEpochEnd?(metrics: EpochMetrics): void | Promise<void>;
  /** The weights of this epoch were put back at the end (restoreBest). */
  onRestoreBest?(epoch: number, valAccuracy: number): void;
}

export interface TrainingTensors {
  xs: tf.Tensor;
  ys: tf.Tensor;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  seed: number;
  /** The learning rate over the run; without it the optimizer's own rate is kept. */
  schedule?: LearningRateSchedule;
  /** At the end, put back the weights of the epoch with the best validation accuracy. */
  restoreBest?: boolean;
  /** Augmentation of every training batch, on the backend. */
  augmentation?: AugmentSettings;
}

/**
 * Trains a compiled model with seeded (and optionally augmented) mini-batches, validating after
 * every epoch when validation tensors are given, following a learning-rate schedule and keeping
 * the best epoch's weights when asked. Batch tensors are made and disposed step by step, so the
 * tensor count is the same before and after each epoch.
 */
export async function trainModel(
  model: tf.LayersModel,
  train: TrainingTensors,
  validation: TrainingTensors | undefined,
  options: TrainOptions,
  listener: TrainingListener = {},
): Promise<EpochMetrics[]> {
  const trainImages = train.xs.shape[0];
  const batches = batchesPerEpoch(trainImages, options.batchSize);
  const history: EpochMetrics[] = [];
  let epochStart = 0;
  let imagesThisEpoch = 0;
  let lossSum = 0;
  let accuracySum = 0;
  const optimizer = model.optimizer as unknown as { learningRate: number };
  const totalSteps = options.epochs * batches;
  let step = 0;
  let best: { epoch: number; valAccuracy: number; weights: tf.Tensor[] } | undefined;
  listener.onTrainBegin?.({
    epochs: options.epochs,
    batchesPerEpoch: batches,
    trainImages,
    validationImages: validation?.xs.shape[0] ?? 0,
  });

  const data = shuffledBatches(
    train.xs,
    train.ys,
    options.batchSize,
    options.seed,
    options.augmentation,
  );
  await model.fitDataset(data, {
    epochs: options.epochs,
    verbose: 0,
    // The loop yields only for our callbacks, not on a timer.
    yieldEvery: 'never',
    validationData: validation ? [validation.xs, validation.ys] : undefined,
    validationBatchSize: 1024,
    callbacks: {
      onEpochBegin: async () => {
        epochStart = performance.now();
        imagesThisEpoch = 0;
        lossSum = 0;
        accuracySum = 0;
      },
      onBatchBegin: async () => {
        if (options.schedule)
          optimizer.learningRate = learningRateAt(options.schedule, step, totalSteps);
        step++;
      },
      onBatchEnd: async (batch, logs) => {
        const size = Number(logs?.['size'] ?? options.batchSize);
        imagesThisEpoch += size;
        lossSum += Number(logs?.['loss']) * size;
        accuracySum += Number(logs?.['acc']) * size;
        listener.onBatchEnd?.({
          epoch: history.length + 1,
          batch: batch + 1,
          batches,
          images: imagesThisEpoch,
          loss: lossSum / imagesThisEpoch,
          accuracy: accuracySum / imagesThisEpoch,
          seconds: (performance.now() - epochStart) / 1000,
        });
      },
      onEpochEnd: async (epoch, logs) => {
        const seconds = (performance.now() - epochStart) / 1000;
        const metrics: EpochMetrics = {
          epoch: epoch + 1,
          loss: lossSum / imagesThisEpoch,
          accuracy: accuracySum / imagesThisEpoch,
          valLoss: logs?.['val_loss'],
          valAccuracy: logs?.['val_acc'],
          seconds,
          imagesPerSecond: imagesThisEpoch / seconds,
        };
        history.push(metrics);
        if (
          options.restoreBest &&
          metrics.valAccuracy !== undefined &&
          metrics.valAccuracy > (best?.valAccuracy ?? -1)
        ) {
          tf.dispose(best?.weights);
          best = {
            epoch: metrics.epoch,
            valAccuracy: metrics.valAccuracy,
            weights: model.getWeights().map((w) => w.clone()),
          };
        }
        await listener.onEpochEnd?.(metrics);
      },
    },
  });
  if (best) {
    if (best.epoch !== history.length) {
      model.setWeights(best.weights);
      listener.onRestoreBest?.(best.epoch, best.valAccuracy);
    }
    tf.dispose(best.weights);
  }
  return history;
}
