/** The compute backends TFJS_BACKEND can name; `auto` takes the fastest that loads. */
export const COMPUTE_BACKENDS = ['auto', 'tensorflow', 'tensorflow-gpu', 'wasm', 'cpu'] as const;
export type ComputeBackendName = (typeof COMPUTE_BACKENDS)[number];
