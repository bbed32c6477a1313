import * as tf from '@tensorflow/tfjs';

/** tfjs kernel name of a dropout mask: 1 / keep with probability keep, else 0. */
export const DROPOUT_MASK = 'MnistMlopsDropoutMask';

export interface DropoutArgs {
  rate: number;
  name?: string;
}

/**
 * Keras's Dropout, as tfjs's `tf.layers.dropout` builds it, except where the mask comes from:
 * tfjs-core draws it in JavaScript, one call per element, then uploads it (about 7% of a
 * training step of the default CNN on the native backend). Where the active backend has a
 * DROPOUT_MASK kernel (the native one, libs/compute/native/dropout-mask.cc) the mask is made there;
 * elsewhere this is `tf.dropout`. It saves as class `Dropout` with Keras's config, so saved models
 * load with tfjs's own Dropout (and in Keras); it is not registered for loading.
 */
export class Dropout extends tf.layers.Layer {
  static className = 'Dropout';
  readonly rate: number;

  constructor(args: DropoutArgs) {
    super(args);
    this.rate = Math.max(Math.min(args.rate, 1), 0);
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const input = Array.isArray(inputs) ? inputs[0] : inputs;
      if (!kwargs['training'] || !(this.rate > 0 && this.rate < 1)) return input;
      if (!tf.getKernel(DROPOUT_MASK, tf.getBackend())) return tf.dropout(input, this.rate);
      // Computed once in double and rounded to float32, as tfjs's dropout does.
      const keep = 1 - this.rate;
      const mask = tf
        .engine()
        .runKernel(DROPOUT_MASK, {}, { shape: input.shape, keep }) as tf.Tensor;
      return tf.mul(input, mask);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    // What tfjs's Dropout writes: no noise shape and no seed are saved as nulls.
    return { rate: this.rate, noiseShape: null, seed: null, ...super.getConfig() };
  }
}
