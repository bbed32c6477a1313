import * as tf from '@tensorflow/tfjs';

/**
 * tfjs kernel name of conv2d + bias + ReLU as one recorded op (inputs x, filter, bias; attrs
 * strides, pad, dilations), with its own gradient (registered with the kernel).
 */
export const CONV2D_BIAS_RELU = 'MnistMlopsConv2DBiasRelu';

export type Conv2DArgs = Parameters<typeof tf.layers.conv2d>[0];

/** The parts of tfjs's Conv2D that the fast path reads. */
interface ConvInternals {
  kernel: { read(): tf.Tensor };
  bias?: { read(): tf.Tensor };
  strides: [number, number];
  padding: 'valid' | 'same';
  dataFormat: string;
  dilationRate: [number, number];
  activation?: { getClassName(): string };
}

/**
 * tfjs-layers exports only a factory for Conv2D; its class is the one registered for loading
 * models, found here without creating a layer (which would shift tfjs's automatic layer names).
 */
function tfjsConv2DClass(): new (args: Conv2DArgs) => tf.layers.Layer {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap['Conv2D'];
  if (!entry) throw new Error('tfjs-layers has not registered its Conv2D layer');
  return entry[0] as unknown as new (args: Conv2DArgs) => tf.layers.Layer;
}

/**
 * Keras's Conv2D as `tf.layers.conv2d` builds it (it is that class), except while training with
 * ReLU: tfjs then runs convolution, bias and ReLU as three recorded ops, two of them full passes
 * over the output, because its fused op cannot record a fused gradient. Where the active backend
 * has CONV2D_BIAS_RELU (the native one), the layer records that one op instead, whose gradient
 * uses the same kernels tfjs's would. Saves, and loads back, as tfjs's own Conv2D.
 */
export class Conv2D extends tfjsConv2DClass() {
  static className = 'Conv2D';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const conv = this as unknown as ConvInternals;
    const fast =
      tf.getKernel(CONV2D_BIAS_RELU, tf.getBackend()) !== undefined &&
      conv.bias !== undefined &&
      conv.activation?.getClassName() === 'relu' &&
      conv.dataFormat === 'channelsLast' &&
      conv.dilationRate.every((rate) => rate === 1);
    if (!fast) return super.call(inputs, kwargs) as tf.Tensor;
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return tf
        .engine()
        .runKernel(
          CONV2D_BIAS_RELU,
          { x, filter: conv.kernel.read(), bias: (conv.bias as { read(): tf.Tensor }).read() },
          { strides: conv.strides, pad: conv.padding, dilations: conv.dilationRate },
        ) as tf.Tensor;
    });
  }
}
