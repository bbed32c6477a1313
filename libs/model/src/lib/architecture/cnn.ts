import * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES } from '@mnist-mlops/data';
import { FusedAdamOptimizer } from '../training/fused-adam-optimizer';
import { Conv2D } from './conv2d';
import { Dropout } from './dropout';

export const IMAGE_SIZE = 28;
export const INPUT_SHAPE: [number, number, number] = [IMAGE_SIZE, IMAGE_SIZE, 1];

export interface CnnParams {
  conv1Filters: number;
  conv2Filters: number;
  kernelSize: number;
  /** Units of a hidden dense layer before the output; 0 leaves it out. */
  denseUnits: number;
  dropout: number;
  seed: number;
}

/**
 * The classic small MNIST CNN: conv -> max-pool -> conv -> max-pool -> flatten -> dropout ->
 * (dense) -> dense softmax. Weight initialisers are seeded; dropout masks are not (see below).
 */
export function buildCnn(params: CnnParams): tf.Sequential {
  const init = (offset: number) => tf.initializers.glorotUniform({ seed: params.seed + offset });
  const model = tf.sequential({ name: 'mnist_cnn' });
  model.add(
    new Conv2D({
      inputShape: INPUT_SHAPE,
      filters: params.conv1Filters,
      kernelSize: params.kernelSize,
      activation: 'relu',
      kernelInitializer: init(1),
    }),
  );
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(
    new Conv2D({
      filters: params.conv2Filters,
      kernelSize: params.kernelSize,
      activation: 'relu',
      kernelInitializer: init(2),
    }),
  );
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  // No seed for dropout: tfjs re-seeds its generator on every call, so a seeded dropout would
  // drop the same units in every batch.
  if (params.dropout > 0) model.add(new Dropout({ rate: params.dropout }));
  if (params.denseUnits > 0) {
    model.add(
      tf.layers.dense({ units: params.denseUnits, activation: 'relu', kernelInitializer: init(4) }),
    );
  }
  model.add(
    tf.layers.dense({ units: NUM_CLASSES, activation: 'softmax', kernelInitializer: init(5) }),
  );
  return model;
}

/** Adam on categorical cross-entropy, reporting accuracy. */
export function compileForTraining(model: tf.LayersModel, learningRate: number): void {
  model.compile({
    optimizer: new FusedAdamOptimizer(learningRate),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
}
