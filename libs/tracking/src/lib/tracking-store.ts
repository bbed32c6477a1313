import type {
  DatasetInput,
  LoggedModel,
  Metric,
  NewLoggedModel,
  Param,
  RunInfo,
  RunStatus,
  Tag,
} from './entities';

/**
 * The tracking store, shaped like MLflow's own `AbstractStore`: experiments, runs, metrics,
 * inputs and logged models. The REST backend is a thin mapping of the MLflow API and the file
 * backend writes MLflow's `mlruns/` layout. Registered models live in the ModelRegistry and
 * files in artifact repositories, as in MLflow.
 *
 * Writes and reads are two interfaces: what a run writes must survive an outage, so the spool
 * stands in front of the writes alone.
 */
export interface TrackingWriter {
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
  /** A logged model of the run, PENDING until finalized; its files go to its `artifactUri`. */
  createLoggedModel(run: RunInfo, model: NewLoggedModel): Promise<LoggedModel>;
  finalizeLoggedModel(modelId: string, status: 'READY' | 'FAILED'): Promise<void>;
  /** Records logged models as the run's outputs (its Logged models in MLflow's UI). */
  logOutputs(runId: string, models: { modelId: string; step: number }[]): Promise<void>;
}

export interface TrackingReader {
  /** What the store reads from, for logs: a URL or a folder. */
  readonly location: string;
  /** Reads back a run (status, params, tags, latest metrics). */
  getRun(runId: string): Promise<{
    info: RunInfo;
    params: Record<string, string>;
    tags: Record<string, string>;
    metrics: Record<string, number>;
  }>;
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;
  /** The run ids of an experiment's runs that carry a tag with this value, oldest first. */
  findRunsByTag(experimentId: string, key: string, value: string): Promise<string[]>;
  getLoggedModel(modelId: string): Promise<LoggedModel>;
}

/** What a backend implements. */
export interface TrackingStore extends TrackingReader, TrackingWriter {}

/**
 * Tags of every experiment the stores create: MLflow 3's UI opens an experiment in its
 * model-training view (not the GenAI one) when it is of this kind.
 */
export const NEW_EXPERIMENT_TAGS: readonly Tag[] = [
  { key: 'mlflow.experimentKind', value: 'custom_model_development' },
];

/** The tag of a dataset input that says what the run used it for. */
export const DATASET_CONTEXT_TAG = 'mlflow.data.context';

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
