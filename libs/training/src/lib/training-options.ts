import type { TrainOptions } from '@mnist-mlops/model';
import type { AugmentSettings } from '@mnist-mlops/data';
import type { TrainingConfig } from './training-params';

/** The augmentation a configuration asks for (the AUGMENT_* keys). */
export function augmentationOf(config: TrainingConfig): AugmentSettings {
  return {
    rotation: config.augmentRotation,
    scale: config.augmentScale,
    shear: config.augmentShear,
    shift: config.augmentShift,
    elastic: config.augmentElastic,
    stroke: config.augmentStroke,
    blur: config.augmentBlur,
    contrast: config.augmentContrast,
  };
}

/** What trainModel takes, from a run's configuration and its batches per epoch. */
export function trainingOptionsOf(config: TrainingConfig, batchesPerEpoch: number): TrainOptions {
  return {
    epochs: config.epochs,
    batchSize: config.batchSize,
    seed: config.seed,
    restoreBest: config.restoreBest,
    schedule: {
      kind: config.learningRateSchedule,
      baseRate: config.learningRate,
      warmupSteps: Math.round(config.warmupEpochs * batchesPerEpoch),
    },
    augmentation: augmentationOf(config),
  };
}
