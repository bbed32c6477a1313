import { joinLocation } from '@mnist-mlops/storage';
import type { LoggedModel, ModelVersion, RunInfo } from '../entities';
import { TrackingRequestError } from '../errors';
import type { ModelRegistry } from '../model-registry';
import { asModelNotFound, type MlflowRestClient } from './mlflow-rest-client';

interface RestModelVersion {
  name: string;
  version: string;
  source: string;
  run_id: string;
  status: string;
  model_id?: string;
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

/** MLflow's model registry over its REST API (`registered-models/…`, `model-versions/…`). */
export class RestModelRegistry implements ModelRegistry {
  readonly location: string;

  constructor(private readonly client: MlflowRestClient) {
    this.location = client.baseUrl;
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
      throw asModelNotFound(
        error,
        `registered model ${name} has no alias "${alias}" at ${this.location}`,
      );
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
      throw asModelNotFound(
        error,
        `registered model ${name} has no version ${version} at ${this.location}`,
      );
    }
  }
}
