import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import sharp from 'sharp';
import { loadConfig } from '@mnist-mlops/config';
import {
  EmbeddedMnistSource,
  loadMnist,
  profileImages,
  toTensors,
  type InputProfile,
  type LabeledImages,
} from '@mnist-mlops/data';
import {
  buildCnn,
  compileForTraining,
  saveVersion as saveModelVersion,
  trainModel,
} from '@mnist-mlops/model';
import { activateBackend } from '@mnist-mlops/compute';
import { LocalStore } from '@mnist-mlops/storage';
import * as tf from '@tensorflow/tfjs';
import { buildContainer } from '../container';
import { SERVING_PARAMS, type ServingConfig } from '../serving-params';

/**
 * A small real model, trained in a few seconds on real MNIST images and saved as version 1 of
 * `mnist-cnn` in a temporary folder of numbered versions, like `trainer:main` leaves it.
 */
export async function trainFixtureModel(
  options: { images?: number; epochs?: number } = {},
): Promise<{ root: string; test: LabeledImages }> {
  await activateBackend('auto');
  const data = await loadMnist(new EmbeddedMnistSource(), {
    trainLimit: options.images ?? 12000,
    testLimit: 200,
  });
  const train = toTensors(data.train);
  const model = buildCnn({
    conv1Filters: 16,
    conv2Filters: 32,
    kernelSize: 3,
    denseUnits: 0,
    dropout: 0.25,
    seed: 7,
  });
  compileForTraining(model, 0.002);
  await trainModel(model, train, undefined, {
    epochs: options.epochs ?? 3,
    batchSize: 64,
    seed: 7,
  });
  tf.dispose([train.xs, train.ys]);
  const root = mkdtempSync(join(tmpdir(), 'served-models-'));
  await saveVersion(model, root, 1, profileImages(data.train));
  model.dispose();
  return { root, test: data.test };
}

export async function saveVersion(
  model: tf.LayersModel,
  root: string,
  version: number,
  reference?: InputProfile,
): Promise<string> {
  const location = join(root, 'mnist-cnn', String(version));
  // As the trainer saves: whole or not at all, model.json last.
  await saveModelVersion(new LocalStore(), location, model, {
    name: 'mnist-cnn',
    version,
    createdAt: new Date().toISOString(),
    backend: tf.getBackend(),
    dataset: 'fixture',
    params: {},
    metrics: {},
    reference,
  });
  return location;
}

export function servingConfig(overrides: Record<string, string>): ServingConfig {
  return loadConfig(SERVING_PARAMS, {
    env: { WORKERS: '1', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...overrides },
  });
}

export function testContainer(overrides: Record<string, string>) {
  const logs = new PassThrough();
  let text = '';
  logs.on('data', (chunk) => (text += String(chunk)));
  const container = buildContainer(servingConfig(overrides), {}, logs);
  return { container, logs: () => text };
}

/** The MNIST test image at `index` (white on black), as raw gray bytes. */
export function mnistDigit(test: LabeledImages, index: number): { pixels: Buffer; label: number } {
  return {
    pixels: Buffer.from(test.images.subarray(index * 784, (index + 1) * 784)),
    label: test.labels[index],
  };
}

/** The digit as people photograph it: enlarged, off-centre on a bigger canvas, optionally dark on light. */
export async function pictureOf(
  pixels: Buffer,
  options: { scale: number; canvas: [number, number]; at: [number, number]; darkOnLight: boolean },
) {
  const size = 28 * options.scale;
  const enlarged = await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
    .resize(size, size, { kernel: 'cubic' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  const ink = options.darkOnLight ? Buffer.from(enlarged.map((v) => 255 - v)) : enlarged;
  const background = options.darkOnLight ? 240 : 10;
  return sharp({
    create: {
      width: options.canvas[0],
      height: options.canvas[1],
      channels: 3,
      background: { r: background, g: background, b: background },
    },
  }).composite([
    {
      input: await sharp(ink, { raw: { width: size, height: size, channels: 1 } })
        .png()
        .toBuffer(),
      left: options.at[0],
      top: options.at[1],
    },
  ]);
}
