export type {
  DatasetInput,
  LoggedModel,
  Metric,
  ModelVersion,
  NewLoggedModel,
  Param,
  RunInfo,
  RunStatus,
  Tag,
} from './lib/entities';
export { ModelNotFoundError, TrackingRequestError, TrackingUnavailableError } from './lib/errors';
export {
  BATCH_LIMITS,
  DATASET_CONTEXT_TAG,
  NEW_EXPERIMENT_TAGS,
  splitBatch,
  type TrackingReader,
  type TrackingStore,
  type TrackingWriter,
} from './lib/tracking-store';
export type { ModelRegistry, RegistryReader, RegistryWriter } from './lib/model-registry';
export {
  ARTIFACT_REPOSITORIES,
  MODEL_REGISTRY,
  TRACKING,
  type RunWriter,
  type Tracking,
} from './lib/tracking';
export {
  artifactScheme,
  UnsupportedArtifactUriError,
  type ArtifactReader,
  type ArtifactRepository,
  type ArtifactWriter,
} from './lib/artifacts/artifact-repository';
export {
  ArtifactRepositories,
  type ArtifactRepositoryFactory,
} from './lib/artifacts/artifact-repositories';
export { FileTrackingStore } from './lib/file/file-tracking-store';
export { FileModelRegistry } from './lib/file/file-model-registry';
export {
  MlflowRestClient,
  authFromEnv,
  redactUri,
  restOptionsFromEnv,
  type RestClientOptions,
} from './lib/mlflow/mlflow-rest-client';
export { RestTrackingStore } from './lib/mlflow/rest-tracking-store';
export { RestModelRegistry } from './lib/mlflow/rest-model-registry';
export { TrackingSpool } from './lib/spool/tracking-spool';
export type { ReplayResult } from './lib/spool/replay';
export type { SpooledOp } from './lib/spool/spooled-op';
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
  createTracking,
  DEFAULT_FILE_STORE,
  registerModelRegistry,
  registerTracking,
  UnsupportedTrackingUriError,
  type TrackingOptions,
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
