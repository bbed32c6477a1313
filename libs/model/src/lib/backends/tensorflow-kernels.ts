import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
 * - `MaxPoolGrad`: TensorFlow's CPU kernel was 26-28% of the step (about 7 ms for the two pooling
 *   layers at batch 128). The project's own kernel (libs/model/native/max-pool-grad.cc, an op
 *   registered through TensorFlow's C kernel API and compiled by `npm run setup`) gives the same
 *   values, first maximum in scan order as TensorFlow picks it, in under 1 ms.
 */

interface NativeBackend extends tf.KernelBackend {
  binding: { TF_ATTR_TYPE: number; TF_ATTR_BOOL: number; TF_ATTR_INT: number };
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

/** What `npm run setup` compiles from libs/model/native, next to tfjs-node's own addon. */
export const CUSTOM_KERNELS_ADDON = 'mnist-mlops-kernels.node';

interface CustomKernelsAddon {
  maxPoolGradOp: string;
}

/** The compiled custom kernels, or why they are not there. Only for @tensorflow/tfjs-node. */
export function loadCustomKernels(): CustomKernelsAddon | string {
  let libs: string;
  try {
    libs = join(dirname(require.resolve('@tensorflow/tfjs-node/package.json')), 'lib');
  } catch {
    return '@tensorflow/tfjs-node is not installed';
  }
  const addon = existsSync(libs)
    ? readdirSync(libs)
        .map((dir) => join(libs, dir, CUSTOM_KERNELS_ADDON))
        .find((file) => existsSync(file))
    : undefined;
  if (!addon) return `${CUSTOM_KERNELS_ADDON} is not built (npm run setup compiles it)`;
  try {
    return require(addon) as CustomKernelsAddon;
  } catch (error) {
    return `${addon} does not load: ${String((error as Error).message).split('\n')[0]}`;
  }
}

export function fastMaxPoolGradKernel(original: KernelConfig, opName: string): KernelConfig {
  return {
    kernelName: tf.MaxPoolGrad,
    backendName: BACKEND,
    kernelFunc: (args) => {
      const { dy, input } = args.inputs as Record<'dy' | 'input' | 'output', TensorInfo>;
      const { filterSize, strides, pad, dimRoundingMode } =
        args.attrs as unknown as tf.MaxPoolGradAttrs;
      const info = tf.backend_util.computePool2DInfo(
        input.shape as [number, number, number, number],
        filterSize,
        strides,
        1,
        pad,
        dimRoundingMode,
      );
      if (input.dtype !== 'float32' || dy.dtype !== 'float32' || info.dataFormat !== 'channelsLast')
        return (original.kernelFunc as KernelFunc)(args);
      const backend = args.backend as NativeBackend;
      const int = (name: string, value: number) => ({
        name,
        type: backend.binding.TF_ATTR_INT,
        value,
      });
      return backend.executeSingleOutput(
        opName,
        [
          int('filter_height', info.filterHeight),
          int('filter_width', info.filterWidth),
          int('stride_height', info.strideHeight),
          int('stride_width', info.strideWidth),
          int('pad_top', info.padInfo.top),
          int('pad_left', info.padInfo.left),
        ],
        [input, dy],
      );
    },
  };
}

export interface KernelReplacement {
  replaced: string[];
  /** Why the compiled kernels are not in use, when they are not. */
  missing?: string;
}

let registration: KernelReplacement | undefined;

/**
 * Replaces the kernels above on the `tensorflow` backend; call after loading tfjs-node. The
 * compiled kernels are linked against @tensorflow/tfjs-node's TensorFlow, so they are left out
 * for the GPU package. Returns the kernels replaced and, when the compiled ones are missing, why.
 */
export function registerTensorflowKernels(
  packageName = '@tensorflow/tfjs-node',
): KernelReplacement {
  registration ??= replaceKernels(packageName);
  return registration;
}

function replaceKernels(packageName: string): KernelReplacement {
  const step = tf.getKernel(tf.Step, BACKEND);
  if (!step) throw new Error('the tensorflow backend has no Step kernel to replace');
  tf.unregisterKernel(tf.Step, BACKEND);
  tf.registerKernel(fastStepKernel(step));
  const replaced = [tf.Step];
  if (packageName !== '@tensorflow/tfjs-node') return { replaced };
  const addon = loadCustomKernels();
  const maxPoolGrad = tf.getKernel(tf.MaxPoolGrad, BACKEND);
  if (typeof addon === 'string' || !maxPoolGrad) return { replaced, missing: String(addon) };
  tf.unregisterKernel(tf.MaxPoolGrad, BACKEND);
  tf.registerKernel(fastMaxPoolGradKernel(maxPoolGrad, addon.maxPoolGradOp));
  replaced.push(tf.MaxPoolGrad);
  return { replaced };
}
