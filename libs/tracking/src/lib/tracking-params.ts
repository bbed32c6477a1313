import { defineParams, flag, optionalText, text, type ConfigOf } from '@mnist-mlops/config';

/** Tracking settings; the names are the MLflow client's own environment variables where it has one. */
export const TRACKING_PARAMS = defineParams({
  mlflowTrackingUri: {
    schema: optionalText(),
    default: '',
    description:
      'http(s):// URL of an MLflow server; empty or a path = a local mlruns/ store (default ./mlruns)',
  },
  mlflowExperimentName: {
    schema: text(),
    default: 'mnist',
    description: 'MLflow experiment the runs go to (created when missing)',
  },
  modelAlias: {
    schema: text({ pattern: /^[A-Za-z0-9_-]+$/, description: 'letters, digits, _ or -' }),
    default: 'champion',
    description: 'Registry alias moved to each newly registered model version',
  },
  registerModel: {
    schema: flag(),
    default: 'true',
    description: 'Register a model version from each training run',
  },
  mlflowRunId: {
    schema: optionalText(),
    default: '',
    description: 'Log into this existing run instead of creating one (set by `mlflow run`)',
  },
  mlflowSpoolDir: {
    schema: text(),
    default: '.mlflow-spool',
    description:
      'Where tracking data waits while the MLflow server is unreachable (sent by trainer:replay)',
  },
});

export type TrackingConfig = ConfigOf<typeof TRACKING_PARAMS>;
