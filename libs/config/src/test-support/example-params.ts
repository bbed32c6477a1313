import { defineParams } from '../lib/param-spec';
import { flag, integer, oneOf, real, text } from '../lib/param-types';

/** For specs: a parameter set of every kind, shaped like a training run's. */
export const EXAMPLE_PARAMS = defineParams({
  modelName: {
    schema: text({
      pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
      description: 'letters, digits, ".", "_" or "-"',
    }),
    default: 'mnist-cnn',
    description: 'Name of the model',
  },
  epochs: { schema: integer({ min: 1, max: 1000 }), default: '20', description: 'Passes' },
  batchSize: {
    schema: integer({ min: 1, max: 65536 }),
    default: '128',
    description: 'Images per step',
  },
  learningRate: {
    schema: real({ min: 0, exclusiveMin: true, max: 10 }),
    default: '0.001',
    description: 'Step size',
  },
  dropout: {
    schema: real({ min: 0, max: 1, exclusiveMax: true }),
    default: '0.5',
    description: 'Dropout rate',
  },
  seed: { schema: integer({ min: 0, max: 2 ** 31 - 1 }), default: '42', description: 'Seed' },
  tfjsBackend: {
    schema: oneOf(['auto', 'tensorflow', 'tensorflow-gpu', 'wasm', 'cpu'] as const),
    default: 'auto',
    description: 'Compute backend',
  },
  progress: { schema: flag(), default: 'true', description: 'Show progress' },
});
