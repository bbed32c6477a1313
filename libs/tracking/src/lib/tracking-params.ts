import { defineParams, flag, optionalText, real, text, type ConfigOf } from '@mnist-mlops/config';

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
  mlflowEnableSystemMetricsLogging: {
    schema: flag(),
    // On, unlike the Python client's default: a training run is long and one reading every
    // interval costs nothing beside it, and an empty System metrics tab answers no question.
    default: 'true',
    description:
      'Log system/ metrics (CPU, memory, disk, network, NVIDIA GPUs) while a run is active, as MLflow does',
  },
  mlflowSystemMetricsSamplingInterval: {
    schema: real({ min: 0.1, max: 3600 }),
    default: '10',
    description: 'Seconds between system metrics readings',
  },
  mlflowSpoolDir: {
    schema: text(),
    default: '.mlflow-spool',
    description:
      'Where tracking data waits while the MLflow server is unreachable (sent by trainer:replay)',
  },
});

export type TrackingConfig = ConfigOf<typeof TRACKING_PARAMS>;
