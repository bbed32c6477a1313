import { randomUUID } from 'node:crypto';
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
import type { TrackingWriter } from '../tracking-store';
import {
  OFFLINE_EXPERIMENT_PREFIX,
  OFFLINE_MODEL_PREFIX,
  OFFLINE_RUN_PREFIX,
  offlineModelArtifactUri,
  offlineRunArtifactUri,
} from './spooled-op';
import type { TrackingSpool } from './tracking-spool';

/** The tracking store's writes through the spool: runs and logged models made offline get stand-in ids. */
export class SpoolingTrackingWriter implements TrackingWriter {
  constructor(
    private readonly spool: TrackingSpool,
    private readonly inner: TrackingWriter,
  ) {}

  async getOrCreateExperiment(name: string): Promise<string> {
    const sent = await this.spool.trySend(undefined, [], () =>
      this.inner.getOrCreateExperiment(name),
    );
    return sent ? sent.value : `${OFFLINE_EXPERIMENT_PREFIX}${name}`;
  }

  async createRun(
    experimentId: string,
    runName: string,
    startTime: number,
    tags: Tag[],
  ): Promise<RunInfo> {
    const sent = experimentId.startsWith(OFFLINE_EXPERIMENT_PREFIX)
      ? undefined
      : await this.spool.trySend(undefined, [], () =>
          this.inner.createRun(experimentId, runName, startTime, tags),
        );
    if (sent) {
      this.spool.adopt(sent.value.runId, sent.value.artifactUri);
      return sent.value;
    }
    const runId = `${OFFLINE_RUN_PREFIX}${randomUUID().replace(/-/g, '')}`;
    const artifactUri = offlineRunArtifactUri(runId);
    this.spool.adopt(runId, artifactUri);
    const experimentName = experimentId.startsWith(OFFLINE_EXPERIMENT_PREFIX)
      ? experimentId.slice(OFFLINE_EXPERIMENT_PREFIX.length)
      : experimentId;
    await this.spool.journal(runId, { op: 'createRun', experimentName, runName, startTime, tags });
    return { runId, experimentId, runName, status: 'RUNNING', startTime, artifactUri };
  }

  logBatch(
    runId: string,
    batch: { metrics?: Metric[]; params?: Param[]; tags?: Tag[] },
  ): Promise<void> {
    return this.spool.write(
      runId,
      () => this.inner.logBatch(runId, batch),
      { op: 'logBatch', ...batch },
      (batch.metrics ?? []).map((m) => m.modelId),
    );
  }

  updateRun(runId: string, status: RunStatus, endTime: number): Promise<void> {
    return this.spool.write(runId, () => this.inner.updateRun(runId, status, endTime), {
      op: 'updateRun',
      status,
      endTime,
    });
  }

  logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    return this.spool.write(runId, () => this.inner.logInputs(runId, datasets), {
      op: 'logInputs',
      datasets,
    });
  }

  async createLoggedModel(run: RunInfo, model: NewLoggedModel): Promise<LoggedModel> {
    const sent = await this.spool.trySend(run.runId, [], () =>
      this.inner.createLoggedModel(run, model),
    );
    if (sent) {
      this.spool.adopt(run.runId, sent.value.artifactUri, sent.value.modelId);
      return sent.value;
    }
    const modelId = `${OFFLINE_MODEL_PREFIX}${randomUUID().replace(/-/g, '')}`;
    const artifactUri = offlineModelArtifactUri(run.runId, modelId);
    this.spool.adopt(run.runId, artifactUri, modelId);
    await this.spool.journal(run.runId, { op: 'createLoggedModel', modelId, ...model });
    return {
      modelId,
      experimentId: run.experimentId,
      name: model.name,
      artifactUri,
      sourceRunId: run.runId,
    };
  }

  finalizeLoggedModel(modelId: string, status: 'READY' | 'FAILED'): Promise<void> {
    const runId = this.spool.runOf(modelId);
    // A model this process did not create has no journal to go in.
    if (!runId) return this.inner.finalizeLoggedModel(modelId, status);
    return this.spool.write(
      runId,
      () => this.inner.finalizeLoggedModel(modelId, status),
      { op: 'finalizeLoggedModel', modelId, status },
      [modelId],
    );
  }

  logOutputs(runId: string, models: { modelId: string; step: number }[]): Promise<void> {
    return this.spool.write(
      runId,
      () => this.inner.logOutputs(runId, models),
      { op: 'logOutputs', models },
      models.map((m) => m.modelId),
    );
  }
}
