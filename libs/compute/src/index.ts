export { COMPUTE_BACKENDS, type ComputeBackendName } from './lib/backends/backend-names';
export { BackendUnavailableError, type ComputeBackend } from './lib/backends/compute-backend';
export {
  activateBackend,
  AUTO_ORDER,
  createBackend,
  type ActiveBackend,
} from './lib/backends/select-backend';
export { registerWasmGradientKernels } from './lib/backends/wasm-gradient-kernels';
export { AUGMENT_DIGITS } from './lib/kernels/augment-digits';
export { Conv2D, CONV2D_BIAS_RELU, type Conv2DArgs } from './lib/layers/conv2d';
export { Dropout, DROPOUT_MASK, type DropoutArgs } from './lib/layers/dropout';
export { ADAM_UPDATE, FusedAdamOptimizer } from './lib/optimizers/fused-adam-optimizer';
