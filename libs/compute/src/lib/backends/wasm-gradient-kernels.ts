import * as tf from '@tensorflow/tfjs';
import type {
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  TensorInfo,
} from '@tensorflow/tfjs';

/**
 * Convolution gradients for the WebAssembly backend, written as forward `Conv2D` calls so they
 * run on XNNPACK: tfjs-backend-wasm 4.22 has no `Conv2DBackpropFilter` kernel at all (a CNN
 * cannot train), and its `Conv2DBackpropInput` is a scalar loop.
 *
 * - filter gradient: dW[kh,kw,ci,co] = sum_{n,oh,ow} x[n, oh*s+kh-pad, ow*s+kw-pad, ci] * dy[n,oh,ow,co]
 *   is a convolution of x^T ([ci,H,W,n], the batch as channels) with dy^T ([OH,OW,n,co]) as the
 *   filter, dilated by the stride.
 * - input gradient (stride 1): a "full" convolution of dy with the filter rotated by 180 degrees
 *   and its channel axes swapped. Other strides and dilations keep the backend's own kernel.
 */

const BACKEND = 'wasm';

type Inputs = Record<string, TensorInfo>;

function kernel(name: string): KernelConfig {
  const config = tf.getKernel(name, BACKEND);
  if (!config) throw new Error(`the ${BACKEND} backend has no ${name} kernel`);
  return config;
}

/** Runs another kernel of the same backend on TensorInfos, the way backend kernels compose. */
function run(
  backend: tf.KernelBackend,
  name: string,
  inputs: Inputs,
  attrs: NamedAttrMap = {},
): TensorInfo {
  return (kernel(name).kernelFunc as KernelFunc)({ inputs, backend, attrs }) as TensorInfo;
}

function dispose(backend: tf.KernelBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

function requireNhwc(dataFormat: string, kernelName: string): void {
  if (dataFormat !== 'NHWC')
    throw new Error(`${kernelName} on ${BACKEND} supports only NHWC, got ${dataFormat}`);
}

export const conv2DBackpropFilterKernel: KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: BACKEND,
  kernelFunc: ({ inputs, backend: kernelBackend, attrs }) => {
    const backend = kernelBackend as tf.KernelBackend;
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
      attrs as unknown as Conv2DBackpropFilterAttrs;
    requireNhwc(dataFormat, tf.Conv2DBackpropFilter);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const [, height, width] = x.shape;
    // Rows and columns of the padded input that the forward convolution actually read.
    const usedHeight = info.filterHeight + (info.outHeight - 1) * info.strideHeight;
    const usedWidth = info.filterWidth + (info.outWidth - 1) * info.strideWidth;
    const padBottom = usedHeight - height - info.padInfo.top;
    const padRight = usedWidth - width - info.padInfo.left;

    const temporaries: TensorInfo[] = [];
    let xT = run(backend, tf.Transpose, { x }, { perm: [3, 1, 2, 0] });
    temporaries.push(xT);
    if (padBottom < 0 || padRight < 0) {
      // A strided 'valid' convolution can leave trailing rows unread; drop them.
      const [channels, , , batch] = xT.shape;
      xT = run(
        backend,
        tf.Slice,
        { x: xT },
        {
          begin: [0, 0, 0, 0],
          size: [channels, height + Math.min(0, padBottom), width + Math.min(0, padRight), batch],
        },
      );
      temporaries.push(xT);
    }
    const dyT = run(backend, tf.Transpose, { x: dy }, { perm: [1, 2, 0, 3] });
    temporaries.push(dyT);
    const explicitPad = [
      [0, 0],
      [info.padInfo.top, Math.max(0, padBottom)],
      [info.padInfo.left, Math.max(0, padRight)],
      [0, 0],
    ];
    const gradient = run(
      backend,
      tf.Conv2D,
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        pad: explicitPad as unknown as NamedAttrMap[string],
        dataFormat: 'NHWC',
        dilations: [info.strideHeight, info.strideWidth],
        dimRoundingMode: null as unknown as NamedAttrMap[string],
      },
    );
    temporaries.push(gradient);
    const result = run(backend, tf.Transpose, { x: gradient }, { perm: [1, 2, 0, 3] });
    dispose(backend, ...temporaries);
    return result;
  },
};

/** Builds the input-gradient kernel around the backend's own one, which handles the general case. */
export function conv2DBackpropInputKernel(original: KernelConfig): KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName: BACKEND,
    // The original kernel binds its WebAssembly function in setupFunc; keep that.
    setupFunc: original.setupFunc,
    kernelFunc: (args) => {
      const { inputs, attrs } = args;
      const backend = args.backend as tf.KernelBackend;
      const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
        attrs as unknown as Conv2DBackpropInputAttrs;
      requireNhwc(dataFormat, tf.Conv2DBackpropInput);
      const info = tf.backend_util.computeConv2DInfo(
        inputShape,
        filter.shape as [number, number, number, number],
        strides,
        1,
        pad,
        dimRoundingMode,
      );
      const [, height, width] = inputShape;
      const top = info.filterHeight - 1 - info.padInfo.top;
      const left = info.filterWidth - 1 - info.padInfo.left;
      const bottom = height - info.outHeight + info.filterHeight - 1 - top;
      const right = width - info.outWidth + info.filterWidth - 1 - left;
      const fast =
        info.strideHeight === 1 &&
        info.strideWidth === 1 &&
        Math.min(top, left, bottom, right) >= 0;
      if (!fast) return (original.kernelFunc as KernelFunc)(args);

      const reversed = run(backend, tf.Reverse, { x: filter }, { dims: [0, 1] });
      const rotated = run(backend, tf.Transpose, { x: reversed }, { perm: [0, 1, 3, 2] });
      const result = run(
        backend,
        tf.Conv2D,
        { x: dy, filter: rotated },
        {
          strides: [1, 1],
          pad: [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ] as unknown as NamedAttrMap[string],
          dataFormat: 'NHWC',
          dilations: [1, 1],
          dimRoundingMode: null as unknown as NamedAttrMap[string],
        },
      );
      dispose(backend, reversed, rotated);
      return result;
    },
  };
}

let registered = false;

/**
 * Registers the kernels with tfjs. Call after importing `@tensorflow/tfjs-backend-wasm` and
 * before `setBackend('wasm')`; calling it again does nothing.
 */
export function registerWasmGradientKernels(): void {
  if (registered) return;
  if (!tf.getKernel(tf.Conv2DBackpropFilter, BACKEND))
    tf.registerKernel(conv2DBackpropFilterKernel);
  const original = kernel(tf.Conv2DBackpropInput);
  tf.unregisterKernel(tf.Conv2DBackpropInput, BACKEND);
  tf.registerKernel(conv2DBackpropInputKernel(original));
  registered = true;
}
