import * as tf from '@tensorflow/tfjs';
import { Conv2D, Dropout, FusedAdamOptimizer } from '@mnist-mlops/compute';
import { MNIST_SIZE, NUM_CLASSES } from '@mnist-mlops/data';

/** The model's input is an MNIST picture. */
export const IMAGE_SIZE = MNIST_SIZE;
export const INPUT_SHAPE: [number, number, number] = [IMAGE_SIZE, IMAGE_SIZE, 1];

export interface CnnParams {
  conv1Filters: number;
  conv2Filters: number;
  kernelSize: number;
  /** Units of a hidden dense layer before the output; 0 leaves it out. */
  denseUnits: number;
  dropout: number;
  seed: number;
  /** Batch normalisation after each convolution, before its ReLU. */
  batchNorm?: boolean;
}

/**
 * The classic small MNIST CNN: conv -> max-pool -> conv -> max-pool -> flatten -> dropout ->
 * (dense) -> dense softmax. Weight initialisers are seeded; dropout masks are not (see below).
 */
export function buildCnn(params: CnnParams): tf.Sequential {
  const init = (offset: number) => tf.initializers.glorotUniform({ seed: params.seed + offset });
  const model = tf.sequential({ name: 'mnist_cnn' });
  const convolution = (filters: number, offset: number, first: boolean) => {
    const shape = first ? { inputShape: INPUT_SHAPE } : {};
    if (!params.batchNorm) {
      model.add(
        new Conv2D({
          ...shape,
          filters,
          kernelSize: params.kernelSize,
          activation: 'relu',
          kernelInitializer: init(offset),
        }),
      );
    } else {
      // The normalisation's shift stands in for the convolution's bias.
      model.add(
        tf.layers.conv2d({
          ...shape,
          filters,
          kernelSize: params.kernelSize,
          useBias: false,
          kernelInitializer: init(offset),
        }),
      );
      model.add(tf.layers.batchNormalization());
      model.add(tf.layers.activation({ activation: 'relu' }));
    }
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  };
  convolution(params.conv1Filters, 1, true);
  convolution(params.conv2Filters, 2, false);
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

/**
 * Adam on categorical cross-entropy, reporting accuracy. With label smoothing, each one-hot
 * target gives `labelSmoothing` of its weight evenly to all classes, so the model is not pushed
 * to certainties that pictures unlike MNIST then betray.
 */
export function compileForTraining(
  model: tf.LayersModel,
  learningRate: number,
  labelSmoothing = 0,
): void {
  model.compile({
    optimizer: new FusedAdamOptimizer(learningRate),
    loss: labelSmoothing > 0 ? smoothedCrossEntropy(labelSmoothing) : 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
}

function smoothedCrossEntropy(smoothing: number) {
  return (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      const classes = yTrue.shape[yTrue.shape.length - 1] as number;
      const target = yTrue.mul(1 - smoothing).add(smoothing / classes);
      // As Keras clips before its log: probabilities of exactly 0 or 1 stay finite.
      const log = yPred.clipByValue(1e-7, 1 - 1e-7).log();
      return target.mul(log).sum(-1).neg();
    });
}
