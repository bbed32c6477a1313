/**
 * One backend's half of `nx run bench:train`, in its own process (the native packages cannot
 * share one): model-only steps/s, then the real training loop (batches from the data library,
 * callbacks, progress) to see what share of an epoch is spent outside the model, with the tensor
 * count, RSS and V8 heap (size; or, under --expose-gc, what a full collection leaves) after
 * every epoch, and the peak RSS; then the same loop with params.env's augmentation, for the
 * ratio of their speeds. Prints one JSON line.
 * Usage: train-backend.ts BACKEND [MODEL_STEPS] [BATCHES_PER_EPOCH] [EPOCHS]
 */
import 'reflect-metadata';
import * as tf from '@tensorflow/tfjs';
import type { ComputeBackendName } from '@mnist-mlops/compute';
import {
  EmbeddedMnistSource,
  loadMnist,
  splitValidation,
  toTensors,
  type AugmentSettings,
} from '@mnist-mlops/data';
import { defaultAugmentation, defaultCnnParams } from './bench-support';
import { buildCnn, compileForTraining, trainModel } from '@mnist-mlops/model';
import { activateBackend } from '@mnist-mlops/compute';

const backend = process.argv[2] as Exclude<ComputeBackendName, 'auto'>;
const modelSteps = Number(process.argv[3] ?? 50);
const pipelineBatches = Number(process.argv[4] ?? 50);
const pipelineEpochs = Number(process.argv[5] ?? 5);
const BATCH = 128;

async function main(): Promise<void> {
  const active = await activateBackend(backend);
  const mnist = await loadMnist(new EmbeddedMnistSource());
  const { train } = splitValidation(mnist.train, 0.1, 42);
  const params = defaultCnnParams();

  // The model alone: the same batch over and over, nothing else in the loop.
  const model = buildCnn(params);
  compileForTraining(model, 0.001);
  const all = toTensors({
    ...train,
    count: BATCH * 8,
    images: train.images.subarray(0, BATCH * 8 * 784),
    labels: train.labels.subarray(0, BATCH * 8),
  });
  const batches = Array.from({ length: 8 }, (_, i) => ({
    xs: all.xs.slice(i * BATCH, BATCH),
    ys: all.ys.slice(i * BATCH, BATCH),
  }));
  const warmup = Math.min(3, modelSteps);
  for (let i = 0; i < warmup; i++) await model.trainOnBatch(batches[i % 8].xs, batches[i % 8].ys);
  let started = performance.now();
  for (let i = 0; i < modelSteps; i++)
    await model.trainOnBatch(batches[i % 8].xs, batches[i % 8].ys);
  const modelSeconds = (performance.now() - started) / 1000;
  const modelImagesPerSecond = (modelSteps * BATCH) / modelSeconds;
  model.dispose();

  let pipeline: Record<string, unknown> = {
    skipped: 'too slow to run a full loop (reference backend)',
  };
  if (pipelineBatches > 0) {
    const count = pipelineBatches * BATCH;
    const subset = {
      ...train,
      count,
      images: train.images.subarray(0, count * 784),
      labels: train.labels.subarray(0, count),
    };
    const tensors = toTensors(subset);
    // The same loop, plain and with params.env's augmentation of every batch, in this process.
    const loop = async (augmentation?: AugmentSettings) => {
      const loopModel = buildCnn(params);
      compileForTraining(loopModel, 0.001);
      const tensorsAfterEpoch: number[] = [];
      const rssAfterEpochMb: number[] = [];
      const heapAfterEpochMb: number[] = [];
      const tensorsBefore = tf.memory().numTensors;
      let lastBatchLog = 0;
      started = performance.now();
      const history = await trainModel(
        loopModel,
        tensors,
        undefined,
        { epochs: pipelineEpochs, batchSize: BATCH, seed: 42, augmentation },
        {
          // What the trainer's progress bar does per batch: read the running loss and accuracy.
          onBatchEnd: (progress) => {
            lastBatchLog = progress.loss + progress.accuracy;
          },
          onEpochEnd: () => {
            tensorsAfterEpoch.push(tf.memory().numTensors);
            // With --expose-gc (the memory run): a full collection first, so the figures show what
            // is retained rather than how far V8 has let its heap grow (it grows for the first
            // thousand or so steps of a fast loop, and RSS with it, then stops).
            const gc = (globalThis as { gc?: () => void }).gc;
            gc?.();
            const memory = process.memoryUsage();
            rssAfterEpochMb.push(Math.round(memory.rss / 2 ** 20));
            heapAfterEpochMb.push(Math.round((gc ? memory.heapUsed : memory.heapTotal) / 2 ** 20));
          },
        },
      );
      void lastBatchLog;
      // The first epoch warms up; the others are what a long run looks like.
      const steady = history.slice(1);
      const epochSeconds = steady.reduce((sum, m) => sum + m.seconds, 0) / steady.length;
      const imagesPerSecond = count / epochSeconds;
      const result = {
        imagesPerSecond,
        epochSeconds,
        shareOutsideModel: Math.max(0, 1 - count / modelImagesPerSecond / epochSeconds),
        tensorsBefore,
        tensorsAfterEpoch,
        rssAfterEpochMb,
        heapAfterEpochMb,
      };
      loopModel.dispose();
      return result;
    };
    const plain = await loop();
    const augmented = await loop(defaultAugmentation());
    pipeline = {
      ...plain,
      augmented: {
        imagesPerSecond: augmented.imagesPerSecond,
        tensorsAfterEpoch: augmented.tensorsAfterEpoch,
      },
      augmentationSpeedRatio: augmented.imagesPerSecond / plain.imagesPerSecond,
    };
    tf.dispose([tensors.xs, tensors.ys]);
  }
  tf.dispose([all.xs, all.ys, ...batches.flatMap((b) => [b.xs, b.ys])]);
  process.stdout.write(
    `${JSON.stringify({
      backend,
      description: active.description,
      modelImagesPerSecond,
      modelSteps,
      ...pipeline,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stdout.write(
    `${JSON.stringify({ backend, error: String((error as Error)?.message ?? error) })}\n`,
  );
  process.exitCode = 1;
});
