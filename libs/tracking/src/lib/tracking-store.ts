/**
 * The storage side of experiment tracking, shaped like MLflow's own `AbstractStore` so that the
 * REST backend is a thin mapping of the MLflow API and the file backend writes MLflow's `mlruns/`
 * layout. Runs, params, metrics and tags follow MLflow's rules; times are epoch milliseconds.
 */

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  /** The logged model the metric describes (MLflow 3 links a run's metrics to its models). */
  modelId?: string;
}

export interface Param {
  key: string;
  value: string;
}

export interface Tag {
  key: string;
  value: string;
}

export interface RunInfo {
  runId: string;
  experimentId: string;
  runName: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
  artifactUri: string;
}

/** A dataset a run used, as MLflow's `log_inputs` takes it (mlflow.entities.Dataset + context). */
export interface DatasetInput {
  name: string;
  /** Changes exactly when the data does: the same data logged by two runs has the same digest. */
  digest: string;
  /** `local`, `gs`, `npm`, ... */
  sourceType: string;
  /** JSON naming where the data came from, e.g. `{"uri": "gs://bucket/mnist"}`. */
  source: string;
  /** JSON, in MLflow's schema format. */
  schema?: string;
  /** JSON: counts and shapes. */
  profile?: string;
  /** `mlflow.data.context`: training, validation or test. */
  context: string;
}

export interface ModelVersion {
  name: string;
  version: string;
  source: string;
  runId: string;
  status: string;
  /** The logged model it was registered from (`models:/m-<id>`), when it was. */
  modelId?: string;
}

/** MLflow 3's model entity: its own id, params, metrics and artifact location; made by a run. */
export interface LoggedModel {
  modelId: string;
  experimentId: string;
  name: string;
  /** Where its files go (`mlflow-artifacts:/…/models/m-…/artifacts`, `file://…`). */
  artifactUri: string;
  sourceRunId: string;
}

export interface NewLoggedModel {
  name: string;
  /** The flavor, e.g. `tensorflowjs`. */
  modelType: string;
  params: Param[];
  tags?: Tag[];
}

export interface TrackingStore {
  /** What the store writes to, for logs: a URL or a folder. */
  readonly location: string;
  getOrCreateExperiment(name: string): Promise<string>;
  createRun(
    experimentId: string,
    runName: string,
    startTime: number,
    tags: Tag[],
  ): Promise<RunInfo>;
  /** Params, metrics and tags in one call; the store splits it to its own limits. */
  logBatch(
    runId: string,
    batch: { metrics?: Metric[]; params?: Param[]; tags?: Tag[] },
  ): Promise<void>;
  updateRun(runId: string, status: RunStatus, endTime: number): Promise<void>;
  /** Records the datasets the run used (its Datasets in MLflow's UI). */
  logInputs(runId: string, datasets: DatasetInput[]): Promise<void>;
  /** Stores one file under the run's artifact root (`plots/roc_digit_3.png`). */
  logArtifact(run: RunInfo, artifactPath: string, data: Uint8Array): Promise<void>;
  /** A logged model of the run, PENDING until finalized. */
  createLoggedModel(run: RunInfo, model: NewLoggedModel): Promise<LoggedModel>;
  /** Stores one file under the logged model's artifact location. */
  logModelArtifact(model: LoggedModel, artifactPath: string, data: Uint8Array): Promise<void>;
  finalizeLoggedModel(modelId: string, status: 'READY' | 'FAILED'): Promise<void>;
  /** Records logged models as the run's outputs (its Logged models in MLflow's UI). */
  logOutputs(runId: string, models: { modelId: string; step: number }[]): Promise<void>;
  getLoggedModel(modelId: string): Promise<LoggedModel>;
  /**
   * Registers a model version (creating the registered model if needed): from a logged model
   * (source `models:/m-<id>`, its `model_id`) or from the run's artifacts at `artifactPath`.
   */
  createModelVersion(
    name: string,
    run: RunInfo,
    from: { artifactPath: string } | { model: LoggedModel },
  ): Promise<ModelVersion>;
  setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void>;
  /** Reads back a run (status, params, tags, latest metrics); used by replay and tests. */
  getRun(runId: string): Promise<{
    info: RunInfo;
    params: Record<string, string>;
    tags: Record<string, string>;
    metrics: Record<string, number>;
  }>;
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;
  /** The run ids of an experiment's runs that carry a tag with this value, oldest first. */
  findRunsByTag(experimentId: string, key: string, value: string): Promise<string[]>;
  /** The version an alias points at (`models:/<name>@<alias>`). */
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  /** Reads one file below a model version's source (`runs:/…`, `mlflow-artifacts:/…`, `file://…`, `gs://…`). */
  readArtifact(source: string, path: string): Promise<Buffer>;
}

/**
 * Tags of every experiment the stores create: MLflow 3's UI opens an experiment in its
 * model-training view (not the GenAI one) when it is of this kind.
 */
export const NEW_EXPERIMENT_TAGS: readonly Tag[] = [
  { key: 'mlflow.experimentKind', value: 'custom_model_development' },
];

/** The tag of a dataset input that says what the run used it for. */
export const DATASET_CONTEXT_TAG = 'mlflow.data.context';

/** Injection token for the TrackingStore chosen by MLFLOW_TRACKING_URI. */
export const TRACKING_STORE = Symbol('TrackingStore');

/** The store could not be reached (network error, timeout, 5xx after retries): worth spooling. */
export class TrackingUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TrackingUnavailableError';
  }
}

/** The store refused a request (4xx): a bug or bad input, not worth retrying. */
export class TrackingRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly errorCode?: string,
  ) {
    super(message);
    this.name = 'TrackingRequestError';
  }
}

/** MLflow's limits for one log-batch request. */
export const BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100, total: 1000 } as const;

/** Splits a batch so that no request exceeds MLflow's per-request limits. */
export function splitBatch(batch: {
  metrics?: Metric[];
  params?: Param[];
  tags?: Tag[];
}): { metrics: Metric[]; params: Param[]; tags: Tag[] }[] {
  const metrics = [...(batch.metrics ?? [])];
  const params = [...(batch.params ?? [])];
  const tags = [...(batch.tags ?? [])];
  const chunks: { metrics: Metric[]; params: Param[]; tags: Tag[] }[] = [];
  while (metrics.length || params.length || tags.length) {
    const p = params.splice(0, BATCH_LIMITS.params);
    const t = tags.splice(0, BATCH_LIMITS.tags);
    const m = metrics.splice(
      0,
      Math.min(BATCH_LIMITS.metrics, BATCH_LIMITS.total - p.length - t.length),
    );
    chunks.push({ metrics: m, params: p, tags: t });
  }
  return chunks;
}

/** The registry has no such model, version or alias. */
export class ModelNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelNotFoundError';
  }
}
