import { defineParams, paramName, type ConfigOf } from '@mnist-mlops/config';
import { TRAINING_PARAMS } from '@mnist-mlops/training';
import { STORAGE_PARAMS } from '@mnist-mlops/storage';
import { TRACKING_PARAMS } from '@mnist-mlops/tracking';

/** Everything the trainer reads: model and training (params.env), tracking and storage. */
export const TRAINER_PARAMS = defineParams({
  ...TRAINING_PARAMS,
  ...TRACKING_PARAMS,
  ...STORAGE_PARAMS,
});

export type TrainerConfig = ConfigOf<typeof TRAINER_PARAMS>;

/** The settings that describe the model and its training: what a run logs as MLflow params. */
export function modelParams(config: TrainerConfig): Record<string, string | number | boolean> {
  const keys = Object.keys(TRAINING_PARAMS).filter(
    (key) => !['progress', 'logLevel', 'outputDir'].includes(key),
  ) as (keyof typeof TRAINING_PARAMS)[];
  return Object.fromEntries(keys.map((key) => [paramName(key), config[key]]));
}
