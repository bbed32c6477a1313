import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalStore } from '@mnist-mlops/storage';
import type { Logger } from '@mnist-mlops/logging';
import type { RestTrackingStore } from '../mlflow/rest-tracking-store';
import {
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
} from '../tracking-store';
import { journalLine, readJournal, type JournalEntry, type SkippedLine } from './journal';

/** A write that could not reach the server, as kept on disk until replayed. */
export type SpooledOp =
  | { op: 'createRun'; experimentName: string; runName: string; startTime: number; tags: Tag[] }
  | { op: 'logBatch'; metrics?: Metric[]; params?: Param[]; tags?: Tag[] }
  | { op: 'updateRun'; status: RunStatus; endTime: number }
  | { op: 'logInputs'; datasets: DatasetInput[] }
  | { op: 'logArtifact'; artifactPath: string; file: string }
  | {
      op: 'createLoggedModel';
      modelId: string;
      name: string;
      modelType: string;
      params: Param[];
      tags?: Tag[];
    }
  | { op: 'logModelArtifact'; modelId: string; artifactPath: string; file: string }
  | { op: 'finalizeLoggedModel'; modelId: string; status: 'READY' | 'FAILED' }
  | { op: 'logOutputs'; models: { modelId: string; step: number }[] }
  | { op: 'createModelVersion'; name: string; artifactPath?: string; modelId?: string }
  | { op: 'setRegisteredModelAlias'; name: string; alias: string; version: string };

export const OFFLINE_RUN_PREFIX = 'offline-';
/** A logged model created while offline, until the replay creates it on the server. */
export const OFFLINE_MODEL_PREFIX = 'offline-model-';
const OFFLINE_EXPERIMENT_PREFIX = 'offline-experiment:';
/** Stands for the version a spooled createModelVersion will get when replayed. */
export const PENDING_VERSION = 'pending';

/**
 * Wraps the MLflow REST store so that a run survives the server going away: the first write
 * that fails for want of the server (after the client's retries) switches the store to offline,
 * and that write and every later one of the run go to a journal under the spool folder
 * (`<spool>/<run id>.jsonl`, artifacts copied beside it). Training carries on;
 * `replaySpool` sends the journal later, exactly once.
 */
export class SpoolingTrackingStore implements TrackingStore {
  readonly location: string;
  private offline = false;
  private readonly files = new LocalStore();
  private sequence = 0;

  constructor(
    readonly inner: RestTrackingStore,
    readonly spoolDir: string,
    private readonly logger?: Logger,
  ) {
    this.location = inner.location;
  }

  get isOffline(): boolean {
    return this.offline;
  }

  async getOrCreateExperiment(name: string): Promise<string> {
    if (!this.offline) {
      try {
        return await this.inner.getOrCreateExperiment(name);
      } catch (error) {
        this.goOffline(error);
      }
    }
    return `${OFFLINE_EXPERIMENT_PREFIX}${name}`;
  }

  async createRun(
    experimentId: string,
    runName: string,
    startTime: number,
    tags: Tag[],
  ): Promise<RunInfo> {
    if (!this.offline) {
      try {
        const run = await this.inner.createRun(experimentId, runName, startTime, tags);
        this.lastRunId = run.runId;
        return run;
      } catch (error) {
        this.goOffline(error);
      }
    }
    const runId = `${OFFLINE_RUN_PREFIX}${randomUUID().replace(/-/g, '')}`;
    this.lastRunId = runId;
    const experimentName = experimentId.startsWith(OFFLINE_EXPERIMENT_PREFIX)
      ? experimentId.slice(OFFLINE_EXPERIMENT_PREFIX.length)
      : experimentId;
    await this.spool(runId, { op: 'createRun', experimentName, runName, startTime, tags });
    return {
      runId,
      experimentId,
      runName,
      status: 'RUNNING',
      startTime,
      artifactUri: `spool:${runId}`,
    };
  }

  logBatch(
    runId: string,
    batch: { metrics?: Metric[]; params?: Param[]; tags?: Tag[] },
  ): Promise<void> {
    return this.write(
      runId,
      () => this.inner.logBatch(runId, batch),
      { op: 'logBatch', ...batch },
      (batch.metrics ?? []).flatMap((m) => (m.modelId ? [m.modelId] : [])),
    );
  }

  updateRun(runId: string, status: RunStatus, endTime: number): Promise<void> {
    return this.write(runId, () => this.inner.updateRun(runId, status, endTime), {
      op: 'updateRun',
      status,
      endTime,
    });
  }

  logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    return this.write(runId, () => this.inner.logInputs(runId, datasets), {
      op: 'logInputs',
      datasets,
    });
  }

  async logArtifact(run: RunInfo, artifactPath: string, data: Uint8Array): Promise<void> {
    this.lastRunId = run.runId;
    if (!this.offline && !run.runId.startsWith(OFFLINE_RUN_PREFIX)) {
      try {
        return await this.inner.logArtifact(run, artifactPath, data);
      } catch (error) {
        this.goOffline(error);
      }
    }
    const file = join(run.runId, 'artifacts', artifactPath);
    await this.files.write(join(this.spoolDir, file), data);
    await this.spool(run.runId, { op: 'logArtifact', artifactPath, file });
  }

  async createLoggedModel(run: RunInfo, model: NewLoggedModel): Promise<LoggedModel> {
    this.lastRunId = run.runId;
    if (!this.offline && !run.runId.startsWith(OFFLINE_RUN_PREFIX)) {
      try {
        const created = await this.inner.createLoggedModel(run, model);
        this.runOfModel.set(created.modelId, run.runId);
        return created;
      } catch (error) {
        this.goOffline(error);
      }
    }
    const modelId = `${OFFLINE_MODEL_PREFIX}${randomUUID().replace(/-/g, '')}`;
    this.runOfModel.set(modelId, run.runId);
    await this.spool(run.runId, { op: 'createLoggedModel', modelId, ...model });
    return {
      modelId,
      experimentId: run.experimentId,
      name: model.name,
      artifactUri: `spool:${run.runId}/models/${modelId}`,
      sourceRunId: run.runId,
    };
  }

  async logModelArtifact(
    model: LoggedModel,
    artifactPath: string,
    data: Uint8Array,
  ): Promise<void> {
    const runId = this.runOfModel.get(model.modelId) ?? model.sourceRunId;
    if (this.online(runId, model.modelId)) {
      try {
        return await this.inner.logModelArtifact(model, artifactPath, data);
      } catch (error) {
        this.goOffline(error);
      }
    }
    const file = join(runId, 'models', model.modelId, artifactPath);
    await this.files.write(join(this.spoolDir, file), data);
    await this.spool(runId, { op: 'logModelArtifact', modelId: model.modelId, artifactPath, file });
  }

  finalizeLoggedModel(modelId: string, status: 'READY' | 'FAILED'): Promise<void> {
    const runId = this.runOfModel.get(modelId);
    if (!runId) return this.inner.finalizeLoggedModel(modelId, status);
    return this.write(
      runId,
      () => this.inner.finalizeLoggedModel(modelId, status),
      {
        op: 'finalizeLoggedModel',
        modelId,
        status,
      },
      [modelId],
    );
  }

  logOutputs(runId: string, models: { modelId: string; step: number }[]): Promise<void> {
    return this.write(
      runId,
      () => this.inner.logOutputs(runId, models),
      { op: 'logOutputs', models },
      models.map((m) => m.modelId),
    );
  }

  getLoggedModel(modelId: string): Promise<LoggedModel> {
    return this.inner.getLoggedModel(modelId);
  }

  async createModelVersion(
    name: string,
    run: RunInfo,
    from: { artifactPath: string } | { model: LoggedModel },
  ): Promise<ModelVersion> {
    this.lastRunId = run.runId;
    const modelId = 'model' in from ? from.model.modelId : undefined;
    if (this.online(run.runId, modelId)) {
      try {
        return await this.inner.createModelVersion(name, run, from);
      } catch (error) {
        this.goOffline(error);
      }
    }
    await this.spool(run.runId, {
      op: 'createModelVersion',
      name,
      ...('model' in from ? { modelId } : { artifactPath: from.artifactPath }),
    });
    return {
      name,
      version: PENDING_VERSION,
      source: 'model' in from ? `models:/${modelId}` : `spool:${run.runId}/${from.artifactPath}`,
      runId: run.runId,
      status: 'PENDING_REGISTRATION',
      ...(modelId ? { modelId } : {}),
    };
  }

  /** Whether a write can go to the server: online, and about nothing that exists only in the spool. */
  private online(runId: string, ...modelIds: (string | undefined)[]): boolean {
    return (
      !this.offline &&
      !runId.startsWith(OFFLINE_RUN_PREFIX) &&
      !modelIds.some((id) => id?.startsWith(OFFLINE_MODEL_PREFIX))
    );
  }

  async setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    if (!this.offline && version !== PENDING_VERSION) {
      try {
        return await this.inner.setRegisteredModelAlias(name, alias, version);
      } catch (error) {
        this.goOffline(error);
      }
    }
    // Aliases are not run data, but they follow the registration they point at, so they go in
    // the journal of the run this store last wrote for.
    if (!this.lastRunId)
      throw new Error(`cannot spool alias ${alias} of ${name}: no run has been written`);
    await this.spool(this.lastRunId, { op: 'setRegisteredModelAlias', name, alias, version });
  }

  getRun(runId: string) {
    return this.inner.getRun(runId);
  }

  getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return this.inner.getMetricHistory(runId, key);
  }

  findRunsByTag(experimentId: string, key: string, value: string): Promise<string[]> {
    return this.inner.findRunsByTag(experimentId, key, value);
  }

  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.inner.getModelVersionByAlias(name, alias);
  }

  getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return this.inner.getModelVersion(name, version);
  }

  readArtifact(source: string, path: string): Promise<Buffer> {
    return this.inner.readArtifact(source, path);
  }

  private lastRunId?: string;
  /** The run each logged model belongs to: its writes go in that run's journal. */
  private readonly runOfModel = new Map<string, string>();

  private async write(
    runId: string,
    send: () => Promise<void>,
    op: SpooledOp,
    modelIds: string[] = [],
  ): Promise<void> {
    this.lastRunId = runId;
    if (this.online(runId, ...modelIds)) {
      try {
        return await send();
      } catch (error) {
        this.goOffline(error);
      }
    }
    await this.spool(runId, op);
  }

  private goOffline(error: unknown): void {
    if (!(error instanceof TrackingUnavailableError)) throw error;
    if (!this.offline) {
      this.logger?.warn(
        `MLflow at ${this.location} is unreachable (${error.message}); the run goes on and its tracking data is kept in ${this.spoolDir}. ` +
          'Send it later with `npx nx run trainer:replay`.',
      );
    }
    this.offline = true;
  }

  private async spool(runId: string, op: SpooledOp): Promise<void> {
    await mkdir(this.spoolDir, { recursive: true });
    const line = journalLine({ seq: ++this.sequence, at: Date.now(), ...op });
    await appendFile(join(this.spoolDir, `${runId}.jsonl`), line);
  }
}

export interface ReplayResult {
  runs: {
    spooledRunId: string;
    runId: string;
    sent: number;
    skippedMetrics: number;
    /** Journal lines that were damaged (cut short by a crash, changed on disk): not sent. */
    skippedLines: SkippedLine[];
  }[];
}

/**
 * Sends every spooled journal to the server, in order, and deletes it when done. Progress is
 * recorded in the journal (`{"ack": seq}` lines), so an interrupted replay resumes; metric points
 * the server already holds (same key, step, timestamp and value) and model versions already
 * registered from the run are not sent twice.
 */
export async function replaySpool(
  store: RestTrackingStore,
  spoolDir: string,
  logger?: Logger,
): Promise<ReplayResult> {
  const result: ReplayResult = { runs: [] };
  const journals = (await readdir(spoolDir).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  for (const journal of journals) {
    const spooledRunId = journal.slice(0, -'.jsonl'.length);
    const path = join(spoolDir, journal);
    const { entries, acks, skipped } = readJournal(await readFile(path, 'utf8'));
    for (const { line, reason } of skipped)
      logger?.warn(`${path}:${line}: skipped a damaged journal line (${reason}); it is not sent`);
    const acked = new Set(acks.map((a) => a.ack));
    let runId =
      acks.find((a) => a.runId)?.runId ??
      (spooledRunId.startsWith(OFFLINE_RUN_PREFIX) ? undefined : spooledRunId);
    let run: RunInfo | undefined = runId ? (await store.getRun(runId)).info : undefined;
    let pendingVersion: string | undefined;
    let sent = 0;
    let skippedMetrics = 0;
    const histories = new Map<string, Set<string>>();
    const ack = (seq: number, modelId?: string) =>
      appendFile(path, journalLine({ ack: seq, runId, ...(modelId ? { modelId } : {}) }));
    // Models created offline get their ids from the server; an interrupted replay finds them in
    // the acks of their createLoggedModel lines.
    const modelIds = new Map<string, string>();
    for (const entry of entries)
      if (entry.op === 'createLoggedModel') {
        const created = acks.find((a) => a.ack === entry.seq)?.modelId;
        if (created) modelIds.set(entry['modelId'] as string, created);
      }
    const realModelId = (id: string) => modelIds.get(id) ?? id;
    const models = new Map<string, LoggedModel>();
    const loggedModel = async (id: string) => {
      const real = realModelId(id);
      if (real.startsWith(OFFLINE_MODEL_PREFIX))
        throw new Error(`spool journal uses logged model ${id}, which was never created`);
      let model = models.get(real);
      if (!model) models.set(real, (model = await store.getLoggedModel(real)));
      return model;
    };

    for (const entry of entries as (JournalEntry & SpooledOp)[]) {
      if (acked.has(entry.seq)) continue;
      switch (entry.op) {
        case 'createRun': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'createRun' }>;
          const experimentId = await store.getOrCreateExperiment(e.experimentName);
          run = await store.createRun(experimentId, e.runName, e.startTime, e.tags);
          runId = run.runId;
          break;
        }
        case 'logBatch': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'logBatch' }>;
          const metrics: Metric[] = [];
          for (const metric of e.metrics ?? []) {
            let seen = histories.get(metric.key);
            if (!seen) {
              seen = new Set(
                (await store.getMetricHistory(requireRun(runId), metric.key)).map(pointKey),
              );
              histories.set(metric.key, seen);
            }
            if (seen.has(pointKey(metric))) skippedMetrics++;
            else {
              metrics.push(metric);
              seen.add(pointKey(metric));
            }
          }
          await store.logBatch(requireRun(runId), {
            metrics: metrics.map((m) =>
              m.modelId ? { ...m, modelId: realModelId(m.modelId) } : m,
            ),
            params: e.params,
            tags: e.tags,
          });
          break;
        }
        case 'updateRun': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'updateRun' }>;
          await store.updateRun(requireRun(runId), e.status, e.endTime);
          break;
        }
        case 'logInputs': {
          // Logging the same dataset twice is a no-op on the server: no dedup needed here.
          const e = entry as unknown as Extract<SpooledOp, { op: 'logInputs' }>;
          await store.logInputs(requireRun(runId), e.datasets);
          break;
        }
        case 'logArtifact': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'logArtifact' }>;
          await store.logArtifact(
            requireInfo(run),
            e.artifactPath,
            await readFile(join(spoolDir, e.file)),
          );
          break;
        }
        case 'createLoggedModel': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'createLoggedModel' }>;
          const created = await store.createLoggedModel(requireInfo(run), {
            name: e.name,
            modelType: e.modelType,
            params: e.params,
            tags: e.tags,
          });
          modelIds.set(e.modelId, created.modelId);
          models.set(created.modelId, created);
          await ack(entry.seq, created.modelId);
          sent++;
          continue;
        }
        case 'logModelArtifact': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'logModelArtifact' }>;
          await store.logModelArtifact(
            await loggedModel(e.modelId),
            e.artifactPath,
            await readFile(join(spoolDir, e.file)),
          );
          break;
        }
        case 'finalizeLoggedModel': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'finalizeLoggedModel' }>;
          await store.finalizeLoggedModel(realModelId(e.modelId), e.status);
          break;
        }
        case 'logOutputs': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'logOutputs' }>;
          await store.logOutputs(
            requireRun(runId),
            e.models.map((m) => ({ ...m, modelId: realModelId(m.modelId) })),
          );
          break;
        }
        case 'createModelVersion': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'createModelVersion' }>;
          const existing = await store.findModelVersions(e.name, requireRun(runId));
          const version = existing.length
            ? existing[existing.length - 1]
            : await store.createModelVersion(
                e.name,
                requireInfo(run),
                e.modelId
                  ? { model: await loggedModel(e.modelId) }
                  : { artifactPath: e.artifactPath ?? '' },
              );
          pendingVersion = version.version;
          break;
        }
        case 'setRegisteredModelAlias': {
          const e = entry as unknown as Extract<SpooledOp, { op: 'setRegisteredModelAlias' }>;
          let version = e.version;
          if (version === PENDING_VERSION) {
            version =
              pendingVersion ??
              (await store.findModelVersions(e.name, requireRun(runId))).at(-1)?.version ??
              '';
            if (!version)
              throw new Error(
                `cannot set alias ${e.alias}: the model version of run ${runId} was not registered`,
              );
          }
          await store.setRegisteredModelAlias(e.name, e.alias, version);
          break;
        }
      }
      await ack(entry.seq);
      sent++;
    }
    await rm(path, { force: true });
    await rm(join(spoolDir, spooledRunId), { recursive: true, force: true });
    logger?.info(
      `replayed ${sent} spooled writes of run ${requireRun(runId)} to ${store.location}${skippedMetrics ? ` (${skippedMetrics} metric points were already there)` : ''}`,
    );
    result.runs.push({
      spooledRunId,
      runId: requireRun(runId),
      sent,
      skippedMetrics,
      skippedLines: skipped,
    });
  }
  return result;
}

function pointKey(metric: Metric): string {
  return `${metric.step}|${metric.timestamp}|${metric.value}`;
}

function requireRun(runId: string | undefined): string {
  if (!runId) throw new Error('spool journal has writes for a run that was never created');
  return runId;
}

function requireInfo(run: RunInfo | undefined): RunInfo {
  if (!run) throw new Error('spool journal has writes for a run that was never created');
  return run;
}
