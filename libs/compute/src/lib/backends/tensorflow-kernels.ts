import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { CONV2D_BIAS_RELU } from '../layers/conv2d';
import { AUGMENT_DIGITS } from '../kernels/augment-digits';
import { DROPOUT_MASK } from '../layers/dropout';
import { ADAM_UPDATE } from '../optimizers/fused-adam-optimizer';

/**
 * Faster kernels for the native backend, found by profiling a training step of the default CNN
 * (`nx run bench:profile`; tools/bench/src/profile-step.ts). The compiled ones are the project's
 * own TensorFlow ops (libs/compute/native, registered through TensorFlow's C kernel API, compiled
 * by `nx run compute:build-native`); each gives what the kernel it replaces gives (tensorflow-kernels.spec.ts).
 *
 * - `MaxPoolGrad` (compiled): TensorFlow's CPU kernel was 26-28% of the step (about 7 ms for the
 *   two pooling layers at batch 128); this one takes under 1 ms, first maximum in scan order as
 *   TensorFlow picks it.
 * - The ReLU gradient: tfjs computes dy * step(x) as two kernels, and tfjs-node builds `Step`
 *   from six TensorFlow ops and two full-size temporaries (about 40% of the step, at first).
 *   Here it is TensorFlow's own one-pass `ReluGrad` op (kernel `MnistMlopsReluGrad`; other
 *   backends keep tfjs's formula), and `Step` itself is `Cast(Greater(x, 0))`, two ops. NaN gives
 *   0 in both, as in TensorFlow.
 * - Adam (compiled): one kernel per variable instead of about 15 small ops (FusedAdamOptimizer).
 * - Dropout masks (compiled), which tfjs-core draws in JavaScript (the `Dropout` layer).
 * - Conv2D + bias + ReLU while training (the `Conv2D` layer's CONV2D_BIAS_RELU): the bias and
 *   ReLU as one compiled pass instead of two recorded ops, and a gradient of TensorFlow's kernels.
 * - `FusedConv2D` with bias and ReLU (compiled), which tfjs uses outside training (validation,
 *   evaluation, serving): tfjs-node runs Conv2D, then Add and Relu as two more passes over the
 *   output; the bias and activation become one pass.
 */

interface NativeBackend extends tf.KernelBackend {
  binding: {
    TF_ATTR_TYPE: number;
    TF_ATTR_BOOL: number;
    TF_ATTR_INT: number;
    TF_ATTR_FLOAT: number;
  };
  getDTypeInteger(dtype: tf.DataType): number;
  executeSingleOutput(
    name: string,
    attrs: { name: string; type: number; value: unknown }[],
    inputs: TensorInfo[],
  ): tf.Tensor;
  executeMultipleOutputs(
    name: string,
    attrs: { name: string; type: number; value: unknown }[],
    inputs: TensorInfo[],
    numOutputs: number,
  ): tf.Tensor[];
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

/** tfjs kernel name of the one-pass ReLU gradient dy * (x > 0). */
export const RELU_GRAD = 'MnistMlopsReluGrad';

export const reluGradKernel: KernelConfig = {
  kernelName: RELU_GRAD,
  backendName: BACKEND,
  kernelFunc: ({ inputs, backend }) =>
    (backend as NativeBackend).executeSingleOutput(
      'ReluGrad',
      [typeAttr(backend as NativeBackend, 'T', 'float32')],
      [inputs['dy'] as TensorInfo, inputs['x'] as TensorInfo],
    ),
};

/**
 * tfjs's gradient of Relu, dy * step(x), through RELU_GRAD where the active backend has it.
 * Gradients are registered for all backends at once, hence the fallback.
 */
export const reluGradient: tf.GradConfig = {
  kernelName: tf.Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved;
    const dyTensor = dy as tf.Tensor;
    return {
      x: () =>
        tf.getKernel(RELU_GRAD, tf.getBackend()) &&
        dyTensor.dtype === 'float32' &&
        x.dtype === 'float32'
          ? (tf.engine().runKernel(RELU_GRAD, { dy: dyTensor, x }, {}) as tf.Tensor)
          : tf.mul(dyTensor, tf.step(tf.cast(x, 'float32'))),
    };
  },
};

export function adamUpdateKernel(opName: string): KernelConfig {
  return {
    kernelName: ADAM_UPDATE,
    backendName: BACKEND,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const native = backend as NativeBackend;
      const { beta1, beta2, epsilon, learningRate } = attrs as Record<string, number>;
      const float = (name: string, value: number) => ({
        name,
        type: native.binding.TF_ATTR_FLOAT,
        value,
      });
      const names = ['value', 'm', 'v', 'grad', 'accBeta1', 'accBeta2'];
      return native.executeMultipleOutputs(
        opName,
        [
          float('beta1', beta1),
          float('beta2', beta2),
          // Computed in double and rounded once, as tfjs's mul(gradient, 1 - beta1) does.
          float('one_minus_beta1', 1 - beta1),
          float('one_minus_beta2', 1 - beta2),
          float('epsilon', epsilon),
          float('neg_learning_rate', -learningRate),
        ],
        names.map((name) => inputs[name] as TensorInfo),
        3,
      );
    },
  };
}

export function dropoutMaskKernel(opName: string): KernelConfig {
  return {
    kernelName: DROPOUT_MASK,
    backendName: BACKEND,
    kernelFunc: ({ attrs, backend }) => {
      const native = backend as NativeBackend;
      const { shape, keep } = attrs as unknown as { shape: number[]; keep: number };
      const dims = tf.tensor1d(shape, 'int32');
      const mask = native.executeSingleOutput(
        opName,
        [{ name: 'keep', type: native.binding.TF_ATTR_FLOAT, value: keep }],
        [dims],
      );
      dims.dispose();
      return mask;
    },
  };
}

/** The training batch's augmentation (libs/data) in one compiled op instead of about 30. */
export function augmentDigitsKernel(opName: string): KernelConfig {
  return {
    kernelName: AUGMENT_DIGITS,
    backendName: BACKEND,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const native = backend as NativeBackend;
      const { grid } = attrs as unknown as { grid: number };
      return native.executeSingleOutput(
        opName,
        [{ name: 'grid', type: native.binding.TF_ATTR_INT, value: grid }],
        [inputs['x'] as TensorInfo, inputs['params'] as TensorInfo],
      );
    },
  };
}

/** TensorFlow's Conv2D, then bias and (for `relu`) ReLU in one pass of the compiled op. */
function convolveWithBias(
  backend: NativeBackend,
  conv2d: KernelConfig,
  biasActivationOp: string,
  inputs: { x: TensorInfo; filter: TensorInfo; bias: TensorInfo },
  convAttrs: NamedAttrMap,
  relu: boolean,
): tf.Tensor {
  const convolved = (conv2d.kernelFunc as KernelFunc)({
    inputs: { x: inputs.x, filter: inputs.filter },
    attrs: convAttrs,
    backend,
  }) as tf.Tensor;
  const result = backend.executeSingleOutput(
    biasActivationOp,
    [{ name: 'relu', type: backend.binding.TF_ATTR_BOOL, value: relu }],
    [convolved, inputs.bias],
  );
  convolved.dispose();
  return result;
}

/** Conv2D (TensorFlow's), then bias and ReLU in one compiled pass. */
export function conv2dBiasReluKernel(conv2d: KernelConfig, biasActivationOp: string): KernelConfig {
  return {
    kernelName: CONV2D_BIAS_RELU,
    backendName: BACKEND,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, filter, bias } = inputs as Record<string, TensorInfo>;
      const { strides, pad, dilations } = attrs as unknown as tf.Conv2DAttrs;
      return convolveWithBias(
        backend as NativeBackend,
        conv2d,
        biasActivationOp,
        { x, filter, bias },
        { strides, pad, dilations, dataFormat: 'NHWC' } as unknown as NamedAttrMap,
        true,
      );
    },
  };
}

/**
 * Gradient of CONV2D_BIAS_RELU: what tfjs computes for conv2d, add and relu recorded apart, from
 * the same kernels (ReluGrad on the output, which is positive exactly where the input is).
 */
export const conv2dBiasReluGradient: tf.GradConfig = {
  kernelName: CONV2D_BIAS_RELU,
  inputsToSave: ['x', 'filter'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const { strides, pad } = attrs as unknown as tf.Conv2DAttrs;
    const dz = tf.engine().runKernel(RELU_GRAD, { dy: dy as tf.Tensor, x: y }, {}) as tf.Tensor;
    const common = { strides, pad, dataFormat: 'NHWC' };
    return {
      x: () =>
        tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: dz, filter }, {
          ...common,
          inputShape: x.shape,
        } as unknown as NamedAttrMap) as tf.Tensor,
      filter: () =>
        tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: dz }, {
          ...common,
          filterShape: filter.shape,
        } as unknown as NamedAttrMap) as tf.Tensor,
      bias: () => tf.sum(dz, [0, 1, 2]),
    };
  },
};

export function fastFusedConv2DKernel(
  original: KernelConfig,
  conv2d: KernelConfig,
  biasActivationOp: string,
): KernelConfig {
  return {
    kernelName: tf.FusedConv2D,
    backendName: BACKEND,
    kernelFunc: (args) => {
      const { x, filter, bias, preluActivationWeights } = args.inputs as Record<
        string,
        TensorInfo | undefined
      >;
      const { activation, ...convAttrs } = args.attrs as unknown as tf.FusedConv2DAttrs;
      const channels = filter?.shape[3];
      if (
        (activation !== 'linear' && activation !== 'relu') ||
        preluActivationWeights ||
        !bias ||
        bias.shape.length !== 1 ||
        bias.shape[0] !== channels ||
        x?.dtype !== 'float32' ||
        bias.dtype !== 'float32' ||
        convAttrs.dataFormat !== 'NHWC'
      )
        return (original.kernelFunc as KernelFunc)(args);
      return convolveWithBias(
        args.backend as NativeBackend,
        conv2d,
        biasActivationOp,
        { x: x as TensorInfo, filter: filter as TensorInfo, bias },
        convAttrs as unknown as NamedAttrMap,
        activation === 'relu',
      );
    },
  };
}

/** What `nx run compute:build-native` compiles from libs/compute/native. */
export const CUSTOM_KERNELS_ADDON = 'mnist-mlops-kernels.node';

/** The names of the ops the addon registers. */
interface CustomKernelsAddon {
  maxPoolGrad: string;
  biasActivation: string;
  adamUpdate: string;
  dropoutMask: string;
  augmentDigits: string;
}

/**
 * Where the compiled kernels may be: the workspace's build output (dist/libs/compute/native,
 * found from this file upwards), then beside tfjs-node's own addon, where `npm run setup` and
 * the inference image put a copy for bundled apps that run outside the workspace.
 */
function addonCandidates(): string[] {
  const candidates: string[] = [];
  for (let dir = __dirname; ; dir = dirname(dir)) {
    candidates.push(join(dir, 'dist/libs/compute/native', CUSTOM_KERNELS_ADDON));
    if (dirname(dir) === dir) break;
  }
  try {
    const libs = join(dirname(require.resolve('@tensorflow/tfjs-node/package.json')), 'lib');
    if (existsSync(libs))
      for (const dir of readdirSync(libs)) candidates.push(join(libs, dir, CUSTOM_KERNELS_ADDON));
  } catch {
    // tfjs-node is not installed: only the build output can be there, and it cannot load.
  }
  return candidates;
}

/** The compiled custom kernels, or why they are not there. Only for @tensorflow/tfjs-node. */
export function loadCustomKernels(): CustomKernelsAddon | string {
  try {
    require.resolve('@tensorflow/tfjs-node/package.json');
  } catch {
    return '@tensorflow/tfjs-node is not installed';
  }
  const addon = addonCandidates().find((file) => existsSync(file));
  if (!addon)
    return `${CUSTOM_KERNELS_ADDON} is not built (npx nx run compute:build-native, which npm run setup runs)`;
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
  /** Every kernel or gradient replaced, compiled or not. */
  replaced: string[];
  /** Those running the project's compiled ops. */
  compiled: string[];
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
  const replaced: string[] = [];
  const replace = (name: string, make: (original: KernelConfig) => KernelConfig) => {
    const original = tf.getKernel(name, BACKEND);
    if (!original) throw new Error(`the tensorflow backend has no ${name} kernel to replace`);
    tf.unregisterKernel(name, BACKEND);
    tf.registerKernel(make(original));
    replaced.push(name);
  };
  replace(tf.Step, (original) => fastStepKernel(original));
  tf.registerKernel(reluGradKernel);
  tf.registerGradient(reluGradient);
  replaced.push('Relu gradient');
  const addon =
    packageName === '@tensorflow/tfjs-node'
      ? loadCustomKernels()
      : `the compiled kernels are built for @tensorflow/tfjs-node, not ${packageName}`;
  if (typeof addon === 'string') return { replaced, compiled: [], missing: addon };
  const before = replaced.length;
  const conv2d = tf.getKernel(tf.Conv2D, BACKEND);
  if (!conv2d) throw new Error('the tensorflow backend has no Conv2D kernel');
  replace(tf.FusedConv2D, (original) =>
    fastFusedConv2DKernel(original, conv2d, addon.biasActivation),
  );
  replace(tf.MaxPoolGrad, (original) => fastMaxPoolGradKernel(original, addon.maxPoolGrad));
  tf.registerKernel(adamUpdateKernel(addon.adamUpdate));
  replaced.push('Adam');
  tf.registerKernel(dropoutMaskKernel(addon.dropoutMask));
  replaced.push('Dropout mask');
  tf.registerKernel(augmentDigitsKernel(addon.augmentDigits));
  replaced.push('augmentation');
  tf.registerKernel(conv2dBiasReluKernel(conv2d, addon.biasActivation));
  tf.registerGradient(conv2dBiasReluGradient);
  replaced.push('Conv2D + bias + ReLU');
  return { replaced, compiled: replaced.slice(before) };
}
