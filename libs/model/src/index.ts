export {
  buildCnn,
  compileForTraining,
  IMAGE_SIZE,
  INPUT_SHAPE,
  type CnnParams,
} from './lib/architecture/cnn';
export { Conv2D, CONV2D_BIAS_RELU, type Conv2DArgs } from './lib/architecture/conv2d';
export { Dropout, DROPOUT_MASK, type DropoutArgs } from './lib/architecture/dropout';
export { BackendUnavailableError, type ComputeBackend } from './lib/backends/compute-backend';
export {
  activateBackend,
  AUTO_ORDER,
  createBackend,
  type ActiveBackend,
} from './lib/backends/select-backend';
export { registerWasmGradientKernels } from './lib/backends/wasm-gradient-kernels';
export {
  trainModel,
  type BatchProgress,
  type EpochMetrics,
  type TrainingListener,
  type TrainOptions,
  type TrainingTensors,
} from './lib/training/train-model';
export { ADAM_UPDATE, FusedAdamOptimizer } from './lib/training/fused-adam-optimizer';
export { learningRateAt, type LearningRateSchedule } from './lib/training/learning-rate';
export { augmentationOf, trainingOptionsOf } from './lib/training/training-options';
export { predictProbabilities } from './lib/evaluation/predict';
export { inferencePlan, type InferencePlan } from './lib/evaluation/inference-plan';
export {
  blobStoreFiles,
  loadModel,
  loadModelFiles,
  MODEL_JSON,
  ModelFilesIOHandler,
  ModelLoadError,
  saveModel,
  WEIGHTS_BIN,
  type ModelFiles,
} from './lib/persistence/model-files-io-handler';
export {
  latestVersionLocation,
  listVersions,
  METADATA_JSON,
  nextVersionLocation,
  readMetadata,
  writeMetadata,
  ModelSaveError,
  saveVersion,
  VERSION_FILES,
  type ModelMetadata,
} from './lib/persistence/versioned-models';
