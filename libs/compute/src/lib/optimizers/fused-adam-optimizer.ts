import * as tf from '@tensorflow/tfjs';

/** tfjs kernel name of a one-pass Adam step for one variable (registered per backend). */
export const ADAM_UPDATE = 'MnistMlopsAdamUpdate';

/** What AdamOptimizer keeps private and this subclass has to share. */
interface AdamState {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

/**
 * tfjs's Adam, with the per-variable update as one kernel (ADAM_UPDATE) where the active backend
 * has one: the native backend (libs/compute/native/adam-update.cc) computes exactly what
 * AdamOptimizer computes, float32 operation for operation, in one pass instead of about 15 ops
 * per variable. Elsewhere it is AdamOptimizer itself. Serialises as 'Adam', like tf.train.adam.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon as number);
  }

  override applyGradients(
    variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0],
  ): void {
    if (!tf.getKernel(ADAM_UPDATE, tf.getBackend())) {
      super.applyGradients(variableGradients);
      return;
    }
    const state = this as unknown as AdamState;
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.name)
      : Object.keys(variableGradients);
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        // Moments are created as AdamOptimizer creates them, so getWeights/setWeights still work.
        state.accumulatedFirstMoment[i] ??= {
          originalName: `${name}/m`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        state.accumulatedSecondMoment[i] ??= {
          originalName: `${name}/v`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        const gradient = Array.isArray(variableGradients)
          ? variableGradients[i].tensor
          : variableGradients[name];
        if (gradient == null) return;
        const m = state.accumulatedFirstMoment[i].variable;
        const v = state.accumulatedSecondMoment[i].variable;
        const [newValue, newM, newV] = tf.engine().runKernel(
          ADAM_UPDATE,
          { value, m, v, grad: gradient, accBeta1: state.accBeta1, accBeta2: state.accBeta2 },
          {
            beta1: state.beta1,
            beta2: state.beta2,
            epsilon: state.epsilon,
            learningRate: state.learningRate,
          },
        ) as tf.Tensor[];
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, state.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, state.beta2));
    });
    this.incrementIterations();
  }
}
