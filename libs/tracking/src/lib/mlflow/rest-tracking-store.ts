import type {
  DatasetInput,
  LoggedModel,
  Metric,
  NewLoggedModel,
  Param,
  RunInfo,
  RunStatus,
  Tag,
} from '../entities';
import { TrackingRequestError } from '../errors';
import {
  DATASET_CONTEXT_TAG,
  NEW_EXPERIMENT_TAGS,
  splitBatch,
  type TrackingStore,
} from '../tracking-store';
import { asModelNotFound, type MlflowRestClient } from './mlflow-rest-client';

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
 * Files go to artifact repositories, registered models to the RestModelRegistry.
 */
export class RestTrackingStore implements TrackingStore {
  readonly location: string;

  constructor(private readonly client: MlflowRestClient) {
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
      throw asModelNotFound(error, `no logged model ${modelId} at ${this.location}`);
    }
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
