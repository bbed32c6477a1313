export { TRAINING_PARAMS, type TrainingConfig } from './lib/training-params';
export { augmentationOf, trainingOptionsOf } from './lib/training-options';
