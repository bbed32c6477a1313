import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

/**
 * Faster kernels for the native backend, found by profiling a training step of the default CNN
 * (`nx run bench:train`; tools/bench/src/profile-step.ts):
 *
 * - `Step`, which the ReLU gradient uses (tfjs's fused conv/dense ops compute dy * step(y)), is
 *   built by tfjs-node from six TensorFlow ops and two full-size temporaries (isNaN, greater,
 *   ones, fill, where, select): about 40% of the step. For alpha = 0 it is `Cast(Greater(x, 0))`,
 *   two ops. NaN inputs then give 0 rather than NaN, which is what TensorFlow's own ReluGrad does.
 */

interface NativeBackend extends tf.KernelBackend {
  binding: { TF_ATTR_TYPE: number; TF_ATTR_BOOL: number };
  getDTypeInteger(dtype: tf.DataType): number;
  executeSingleOutput(
    name: string,
    attrs: { name: string; type: number; value: unknown }[],
    inputs: TensorInfo[],
  ): tf.Tensor;
}

const BACKEND = 'tensorflow';

function typeAttr(backend: NativeBackend, name: string, dtype: tf.DataType) {
  return { name, type: backend.binding.TF_ATTR_TYPE, value: backend.getDTypeInteger(dtype) };
}

export function fastStepKernel(original: KernelConfig): KernelConfig {
  return {
    kernelName: tf.Step,
    backendName: BACKEND,
    kernelFunc: (args) => {
      const { alpha } = args.attrs as NamedAttrMap & { alpha?: number };
      const x = args.inputs['x'] as TensorInfo;
      if ((alpha ?? 0) !== 0 || x.dtype !== 'float32')
        return (original.kernelFunc as KernelFunc)(args);
      const backend = args.backend as NativeBackend;
      const zero = tf.scalar(0, 'float32');
      const positive = backend.executeSingleOutput(
        'Greater',
        [typeAttr(backend, 'T', 'float32')],
        [x, zero],
      );
      const result = backend.executeSingleOutput(
        'Cast',
        [
          typeAttr(backend, 'SrcT', 'bool'),
          typeAttr(backend, 'DstT', 'float32'),
          { name: 'Truncate', type: backend.binding.TF_ATTR_BOOL, value: false },
        ],
        [positive],
      );
      tf.dispose([zero, positive]);
      return result;
    },
  };
}

let registered = false;

/** Replaces the kernels above on the `tensorflow` backend; call after loading tfjs-node. */
export function registerTensorflowKernels(): void {
  if (registered) return;
  const step = tf.getKernel(tf.Step, BACKEND);
  if (!step) throw new Error('the tensorflow backend has no Step kernel to replace');
  tf.unregisterKernel(tf.Step, BACKEND);
  tf.registerKernel(fastStepKernel(step));
  registered = true;
}
