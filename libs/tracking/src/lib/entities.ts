/**
 * MLflow's entities as the stores exchange them: runs, params, metrics and tags follow MLflow's
 * rules; times are epoch milliseconds.
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
