/** Injection tokens of the inference service's own composition. */
export const SERVING_CONFIG = Symbol('ServingConfig');
