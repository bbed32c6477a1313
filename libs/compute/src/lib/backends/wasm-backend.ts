import * as tf from '@tensorflow/tfjs';
import {
  BackendUnavailableError,
  firstLine,
  loadOptional,
  type ComputeBackend,
} from './compute-backend';
import { registerWasmGradientKernels } from './wasm-gradient-kernels';

/** WebAssembly (XNNPACK, SIMD) with the project's convolution gradient kernels for training. */
export class WasmBackend implements ComputeBackend {
  readonly name = 'wasm' as const;
  readonly tfjsName = 'wasm';

  async activate(): Promise<void> {
    try {
      loadOptional('@tensorflow/tfjs-backend-wasm');
    } catch (error) {
      throw new BackendUnavailableError(
        'wasm',
        `@tensorflow/tfjs-backend-wasm could not be loaded (${firstLine(error)})`,
        'Run `npm ci`.',
      );
    }
    registerWasmGradientKernels();
    if (!(await tf.setBackend(this.tfjsName))) {
      throw new BackendUnavailableError(
        'wasm',
        'the WebAssembly module did not initialise',
        'Check that this Node.js supports WebAssembly.',
      );
    }
  }

  describe(): string {
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD';
    const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')
      ? 'multi-threaded'
      : 'single-threaded';
    return `@tensorflow/tfjs-backend-wasm ${tf.version_core}, ${simd}, ${threads}`;
  }
}
