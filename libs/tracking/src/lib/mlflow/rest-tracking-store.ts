import type { BlobStore } from '@mnist-mlops/storage';
import { joinLocation, schemeOf } from '@mnist-mlops/storage';
import {
  ModelNotFoundError,
  splitBatch,
  DATASET_CONTEXT_TAG,
  NEW_EXPERIMENT_TAGS,
  TrackingRequestError,
  type DatasetInput,
  type LoggedModel,
  type NewLoggedModel,
  type Metric,
  type ModelVersion,
  type Param,
  type RunInfo,
  type RunStatus,
  type Tag,
  type TrackingStore,
} from '../tracking-store';
import type { MlflowRestClient } from './mlflow-rest-client';

interface RestRunInfo {
  run_id: string;
  experiment_id: string;
  run_name?: string;
  status: RunStatus;
  start_time?: number | string;
  end_time?: number | string;
  artifact_uri: string;
}

interface RestRun {
  info: RestRunInfo;
  data?: { metrics?: Metric[]; params?: Param[]; tags?: Tag[] };
}

interface RestModelVersion {
  name: string;
  version: string;
  source: string;
  run_id: string;
  status: string;
  model_id?: string;
}

interface RestLoggedModelInfo {
  model_id: string;
  experiment_id: string;
  name: string;
  artifact_uri: string;
  source_run_id?: string;
}

function toLoggedModel(info: RestLoggedModelInfo): LoggedModel {
  return {
    modelId: info.model_id,
    experimentId: info.experiment_id,
    name: info.name,
    artifactUri: info.artifact_uri,
    sourceRunId: info.source_run_id ?? '',
  };
}

function notFound(error: unknown, message: string): unknown {
  return error instanceof TrackingRequestError &&
    (error.errorCode === 'RESOURCE_DOES_NOT_EXIST' ||
      error.errorCode === 'INVALID_PARAMETER_VALUE' ||
      error.status === 404)
    ? new ModelNotFoundError(message)
    : error;
}

function toModelVersion(v: RestModelVersion): ModelVersion {
  return {
    name: v.name,
    version: String(v.version),
    source: v.source,
    runId: v.run_id,
    status: v.status,
    ...(v.model_id ? { modelId: v.model_id } : {}),
  };
}

function toRunInfo(info: RestRunInfo): RunInfo {
  return {
    runId: info.run_id,
    experimentId: info.experiment_id,
    runName: info.run_name ?? '',
    status: info.status,
    startTime: Number(info.start_time ?? 0),
    endTime: info.end_time === undefined ? undefined : Number(info.end_time),
    artifactUri: info.artifact_uri,
  };
}

/**
 * MLflow's REST API as a TrackingStore: what `mlflow.set_tracking_uri("http://...")` talks to.
 * Artifacts go through the server's artifact proxy when the run's artifact URI is
 * `mlflow-artifacts:`; a `gs://` or `file://` artifact root is written directly through the BlobStore.
 */
export class RestTrackingStore implements TrackingStore {
  readonly location: string;

  constructor(
    private readonly client: MlflowRestClient,
    private readonly blobs?: BlobStore,
  ) {
    this.location = client.baseUrl;
  }

  async getOrCreateExperiment(name: string): Promise<string> {
    try {
      const found = await this.client.get<{ experiment: { experiment_id: string } }>(
        'experiments/get-by-name',
        { experiment_name: name },
      );
      return found.experiment.experiment_id;
    } catch (error) {
      if (!(error instanceof TrackingRequestError && error.errorCode === 'RESOURCE_DOES_NOT_EXIST'))
        throw error;
    }
    try {
      return (
        await this.client.post<{ experiment_id: string }>('experiments/create', {
          name,
          tags: NEW_EXPERIMENT_TAGS,
        })
      ).experiment_id;
    } catch (error) {
      // Another process created it in between.
      if (error instanceof TrackingRequestError && error.errorCode === 'RESOURCE_ALREADY_EXISTS')
        return this.getOrCreateExperiment(name);
      throw error;
    }
  }

  async createRun(
    experimentId: string,
    runName: string,
    startTime: number,
    tags: Tag[],
  ): Promise<RunInfo> {
    const user = tags.find((tag) => tag.key === 'mlflow.user')?.value;
    const { run } = await this.client.post<{ run: RestRun }>('runs/create', {
      experiment_id: experimentId,
      run_name: runName,
      start_time: startTime,
      user_id: user,
      tags,
    });
    return toRunInfo(run.info);
  }

  async logBatch(
    runId: string,
    batch: { metrics?: Metric[]; params?: Param[]; tags?: Tag[] },
  ): Promise<void> {
    for (const chunk of splitBatch(batch))
      await this.client.post('runs/log-batch', {
        run_id: runId,
        ...chunk,
        metrics: chunk.metrics.map(({ modelId, ...metric }) =>
          modelId ? { ...metric, model_id: modelId } : metric,
        ),
      });
  }

  async updateRun(runId: string, status: RunStatus, endTime: number): Promise<void> {
    await this.client.post('runs/update', { run_id: runId, status, end_time: endTime });
  }

  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    await this.client.post('runs/log-inputs', {
      run_id: runId,
      datasets: datasets.map(({ context, sourceType, ...dataset }) => ({
        tags: [{ key: DATASET_CONTEXT_TAG, value: context }],
        dataset: { ...dataset, source_type: sourceType },
      })),
    });
  }

  logArtifact(run: RunInfo, artifactPath: string, data: Uint8Array): Promise<void> {
    return this.writeArtifact(run.artifactUri, artifactPath, data);
  }

  logModelArtifact(model: LoggedModel, artifactPath: string, data: Uint8Array): Promise<void> {
    return this.writeArtifact(model.artifactUri, artifactPath, data);
  }

  /** A file below an artifact root: through the server's proxy, or the storage backend. */
  private async writeArtifact(root: string, artifactPath: string, data: Uint8Array): Promise<void> {
    if (schemeOf(root) === 'mlflow-artifacts' || root.startsWith('mlflow-artifacts:')) {
      // mlflow-artifacts:/<path> or mlflow-artifacts://host:port/<path>
      const path = root.replace(/^mlflow-artifacts:(\/\/[^/]+)?\/?/, '');
      await this.client.putArtifact(joinLocation(path, artifactPath), data);
      return;
    }
    if (!this.blobs)
      throw new TrackingRequestError(
        `cannot write artifacts to ${root}: no storage backend configured`,
      );
    await this.blobs.write(joinLocation(root, artifactPath), data);
  }

  async createLoggedModel(run: RunInfo, model: NewLoggedModel): Promise<LoggedModel> {
    const { model: created } = await this.client.post<{ model: { info: RestLoggedModelInfo } }>(
      'logged-models',
      {
        experiment_id: run.experimentId,
        name: model.name,
        model_type: model.modelType,
        source_run_id: run.runId,
        params: model.params,
        tags: model.tags ?? [],
      },
    );
    return toLoggedModel(created.info);
  }

  async finalizeLoggedModel(modelId: string, status: 'READY' | 'FAILED'): Promise<void> {
    await this.client.patch(`logged-models/${encodeURIComponent(modelId)}`, {
      model_id: modelId,
      status: `LOGGED_MODEL_${status === 'READY' ? 'READY' : 'UPLOAD_FAILED'}`,
    });
  }

  async logOutputs(runId: string, models: { modelId: string; step: number }[]): Promise<void> {
    await this.client.post('runs/outputs', {
      run_id: runId,
      models: models.map(({ modelId, step }) => ({ model_id: modelId, step })),
    });
  }

  async getLoggedModel(modelId: string): Promise<LoggedModel> {
    try {
      const { model } = await this.client.get<{ model: { info: RestLoggedModelInfo } }>(
        `logged-models/${encodeURIComponent(modelId)}`,
        {},
      );
      return toLoggedModel(model.info);
    } catch (error) {
      throw notFound(error, `no logged model ${modelId} at ${this.location}`);
    }
  }

  async createModelVersion(
    name: string,
    run: RunInfo,
    from: { artifactPath: string } | { model: LoggedModel },
  ): Promise<ModelVersion> {
    try {
      await this.client.post('registered-models/create', { name });
    } catch (error) {
      if (!(error instanceof TrackingRequestError && error.errorCode === 'RESOURCE_ALREADY_EXISTS'))
        throw error;
    }
    const { model_version: version } = await this.client.post<{ model_version: RestModelVersion }>(
      'model-versions/create',
      'model' in from
        ? {
            name,
            source: `models:/${from.model.modelId}`,
            run_id: run.runId,
            model_id: from.model.modelId,
          }
        : { name, source: joinLocation(run.artifactUri, from.artifactPath), run_id: run.runId },
    );
    // The server does not echo model_id: the version is the model's.
    return {
      ...toModelVersion(version),
      ...('model' in from ? { modelId: from.model.modelId } : {}),
    };
  }

  /** Versions of a model registered from one run: lets a replay skip a registration already made. */
  async findModelVersions(name: string, runId: string): Promise<ModelVersion[]> {
    const found = await this.client.get<{ model_versions?: RestModelVersion[] }>(
      'model-versions/search',
      {
        filter: `name='${name.replace(/'/g, "\\'")}' and run_id='${runId}'`,
      },
    );
    return (found.model_versions ?? []).map(toModelVersion);
  }

  async setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    await this.client.post('registered-models/alias', { name, alias, version });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    try {
      const { model_version: v } = await this.client.get<{ model_version: RestModelVersion }>(
        'registered-models/alias',
        { name, alias },
      );
      return toModelVersion(v);
    } catch (error) {
      throw notFound(error, `registered model ${name} has no alias "${alias}" at ${this.location}`);
    }
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    try {
      const { model_version: v } = await this.client.get<{ model_version: RestModelVersion }>(
        'model-versions/get',
        { name, version },
      );
      return toModelVersion(v);
    } catch (error) {
      throw notFound(
        error,
        `registered model ${name} has no version ${version} at ${this.location}`,
      );
    }
  }

  async readArtifact(source: string, path: string): Promise<Buffer> {
    const runs = /^runs:\/([^/]+)\/?(.*)$/.exec(source);
    const logged = /^models:\/(m-[0-9a-f]+)\/?(.*)$/.exec(source);
    const base = runs
      ? joinLocation((await this.getRun(runs[1])).info.artifactUri, runs[2])
      : logged
        ? joinLocation((await this.getLoggedModel(logged[1])).artifactUri, logged[2])
        : source;
    if (base.startsWith('mlflow-artifacts:')) {
      return this.client.getArtifact(
        joinLocation(base.replace(/^mlflow-artifacts:(\/\/[^/]+)?\/?/, ''), path),
      );
    }
    if (!this.blobs)
      throw new TrackingRequestError(
        `cannot read artifacts from ${base}: no storage backend configured`,
      );
    return this.blobs.read(joinLocation(base, path));
  }

  async findRunsByTag(experimentId: string, key: string, value: string): Promise<string[]> {
    const ids: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.client.post<{ runs?: RestRun[]; next_page_token?: string }>(
        'runs/search',
        {
          experiment_ids: [experimentId],
          filter: `tags.\`${key}\` = '${value.replace(/'/g, "\\'")}'`,
          order_by: ['attributes.start_time ASC'],
          max_results: 1000,
          ...(pageToken ? { page_token: pageToken } : {}),
        },
      );
      for (const run of page.runs ?? []) ids.push(toRunInfo(run.info).runId);
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    return ids;
  }

  async getRun(runId: string) {
    const { run } = await this.client.get<{ run: RestRun }>('runs/get', { run_id: runId });
    const record = (items: { key: string; value: string }[] = []) =>
      Object.fromEntries(items.map((item) => [item.key, item.value]));
    return {
      info: toRunInfo(run.info),
      params: record(run.data?.params),
      tags: record(run.data?.tags),
      metrics: Object.fromEntries((run.data?.metrics ?? []).map((m) => [m.key, Number(m.value)])),
    };
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const metrics: Metric[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.client.get<{ metrics?: Metric[]; next_page_token?: string }>(
        'metrics/get-history',
        {
          run_id: runId,
          metric_key: key,
          max_results: 25000,
          page_token: pageToken,
        },
      );
      for (const m of page.metrics ?? [])
        metrics.push({
          key: m.key,
          value: Number(m.value),
          timestamp: Number(m.timestamp),
          step: Number(m.step ?? 0),
        });
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    return metrics;
  }
}
