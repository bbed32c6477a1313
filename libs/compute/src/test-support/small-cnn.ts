import * as tf from '@tensorflow/tfjs';
import { Conv2D } from '../lib/layers/conv2d';
import { Dropout } from '../lib/layers/dropout';

export interface SmallCnnParams {
  conv1Filters: number;
  conv2Filters: number;
  kernelSize: number;
  denseUnits: number;
  dropout: number;
  seed: number;
}

/**
 * For specs: an MNIST-shaped CNN made of this library's layers, as the model library's is (conv,
 * pool, conv, pool, flatten, dropout, optional dense, softmax), with seeded initialisers.
 */
export function smallCnn(params: SmallCnnParams): tf.Sequential {
  const init = (offset: number) => tf.initializers.glorotUniform({ seed: params.seed + offset });
  const model = tf.sequential({ name: 'small_cnn' });
  const convolution = (filters: number, offset: number, first: boolean) => {
    model.add(
      new Conv2D({
        ...(first ? { inputShape: [28, 28, 1] } : {}),
        filters,
        kernelSize: params.kernelSize,
        activation: 'relu',
        kernelInitializer: init(offset),
      }),
    );
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  };
  convolution(params.conv1Filters, 1, true);
  convolution(params.conv2Filters, 2, false);
  model.add(tf.layers.flatten());
  if (params.dropout > 0) model.add(new Dropout({ rate: params.dropout }));
  if (params.denseUnits > 0)
    model.add(
      tf.layers.dense({ units: params.denseUnits, activation: 'relu', kernelInitializer: init(4) }),
    );
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(5) }));
  return model;
}
