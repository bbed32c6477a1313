export {
  buildCnn,
  compileForTraining,
  IMAGE_SIZE,
  INPUT_SHAPE,
  type CnnParams,
} from './lib/architecture/cnn';
export {
  trainModel,
  type BatchProgress,
  type EpochMetrics,
  type TrainingListener,
  type TrainOptions,
  type TrainingTensors,
} from './lib/training/train-model';
export {
  LEARNING_RATE_SCHEDULES,
  learningRateAt,
  type LearningRateSchedule,
} from './lib/training/learning-rate';
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
export { ModelSourceError, resolveModel, type ResolvedModel } from './lib/persistence/model-source';
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
export {
  INPUT_EXAMPLE,
  inputExampleFile,
  MLMODEL,
  mlmodelFile,
  TFJS_FLAVOR,
  type MlmodelFields,
} from './lib/persistence/mlmodel';
export { ONNX_INPUT, ONNX_OUTPUT, OnnxExportError, toOnnx } from './lib/export/onnx-export';
export {
  EngineUnavailableError,
  INFERENCE_ENGINES,
  type InferenceEngine,
  type InferenceEngineName,
} from './lib/serving/inference-engine';
export { onnxRuntimeEngine, type OnnxRuntimeOptions } from './lib/serving/onnx-runtime-engine';
export { tfjsEngine } from './lib/serving/tfjs-engine';
export { selectEngine, type SelectedEngine } from './lib/serving/select-engine';
