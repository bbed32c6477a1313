export {
  BATCH_LIMITS,
  DATASET_CONTEXT_TAG,
  ModelNotFoundError,
  NEW_EXPERIMENT_TAGS,
  splitBatch,
  TRACKING_STORE,
  TrackingRequestError,
  TrackingUnavailableError,
  type DatasetInput,
  type LoggedModel,
  type Metric,
  type ModelVersion,
  type NewLoggedModel,
  type Param,
  type RunInfo,
  type RunStatus,
  type Tag,
  type TrackingStore,
} from './lib/tracking-store';
export { FileTrackingStore } from './lib/file/file-tracking-store';
export {
  MlflowRestClient,
  authFromEnv,
  redactUri,
  restOptionsFromEnv,
  type RestClientOptions,
} from './lib/mlflow/mlflow-rest-client';
export { RestTrackingStore } from './lib/mlflow/rest-tracking-store';
export {
  replaySpool,
  SpoolingTrackingStore,
  type ReplayResult,
  type SpooledOp,
} from './lib/spool/spooling-store';
export {
  ActiveRun,
  describeRunLocation,
  startRun,
  systemTags,
  withRun,
  type ParamValue,
  type StartRunOptions,
} from './lib/run/active-run';
export {
  createTrackingStore,
  DEFAULT_FILE_STORE,
  registerTracking,
  UnsupportedTrackingUriError,
} from './lib/register-tracking';
export { TRACKING_PARAMS, type TrackingConfig } from './lib/tracking-params';
export {
  HostSampler,
  SystemMetricsMonitor,
  type MetricsSink,
  type SystemMetricsOptions,
  type SystemSample,
  type SystemSampler,
} from './lib/run/system-metrics';
