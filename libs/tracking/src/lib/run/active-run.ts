import { spawnSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { currentUser } from '../current-user';
import type {
  DatasetInput,
  LoggedModel,
  ModelVersion,
  NewLoggedModel,
  RunInfo,
  RunStatus,
  Tag,
} from '../entities';
import type { RunWriter, Tracking } from '../tracking';

export type ParamValue = string | number | boolean;

/** MLflow's cap on one param value. */
const MAX_PARAM_LENGTH = 6000;

/**
 * One tracked run, the way `with mlflow.start_run():` feels in Python: params, metrics by step,
 * tags, artifacts, a registered model version, and an end status.
 */
export class ActiveRun {
  private ended = false;

  constructor(
    private readonly writer: RunWriter,
    readonly info: RunInfo,
  ) {}

  get runId(): string {
    return this.info.runId;
  }

  async logParams(params: Record<string, ParamValue | undefined>): Promise<void> {
    const entries = Object.entries(params).filter(([, value]) => value !== undefined);
    await this.writer.store.logBatch(this.runId, {
      params: entries.map(([key, value]) => ({
        key,
        value: String(value).slice(0, MAX_PARAM_LENGTH),
      })),
    });
  }

  async logMetrics(
    metrics: Record<string, number | undefined>,
    step = 0,
    timestamp = Date.now(),
  ): Promise<void> {
    const entries = Object.entries(metrics).filter(
      (entry): entry is [string, number] => entry[1] !== undefined,
    );
    await this.writer.store.logBatch(this.runId, {
      metrics: entries.map(([key, value]) => ({ key, value, step, timestamp })),
    });
  }

  /** The datasets the run used, each with its context (training, validation, test). */
  async logDatasets(datasets: DatasetInput[]): Promise<void> {
    await this.writer.store.logInputs(this.runId, datasets);
  }

  async setTags(tags: Record<string, string>): Promise<void> {
    await this.writer.store.logBatch(this.runId, {
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    });
  }

  async logArtifact(artifactPath: string, data: Uint8Array | string): Promise<void> {
    await this.writer.artifacts.write(
      this.info.artifactUri,
      artifactPath,
      typeof data === 'string' ? Buffer.from(data) : data,
    );
  }

  /** Uploads every file under a local folder, keeping the folder's layout under `artifactPath`. */
  async logArtifacts(localDir: string, artifactPath: string): Promise<string[]> {
    const files = (await readdir(localDir, { recursive: true, withFileTypes: true })).filter(
      (entry) => entry.isFile(),
    );
    const uploaded: string[] = [];
    for (const entry of files) {
      const full = join(entry.parentPath, entry.name);
      const target = `${artifactPath}/${relative(localDir, full).split('\\').join('/')}`;
      await this.logArtifact(target, await readFile(full));
      uploaded.push(target);
    }
    return uploaded.sort();
  }

  /**
   * A logged model of this run, as `mlflow.<flavor>.log_model` makes one: created PENDING with
   * its params, its files uploaded to its own artifact location, READY (FAILED when an upload
   * fails, and the error goes on), and recorded as the run's output at `step`.
   */
  async logModel(
    model: NewLoggedModel,
    /** The files, given the model: an MLmodel file names its id. */
    files: (logged: LoggedModel) => { path: string; data: Uint8Array | string }[],
    step = 0,
  ): Promise<LoggedModel> {
    const logged = await this.writer.store.createLoggedModel(this.info, model);
    try {
      for (const { path, data } of files(logged))
        await this.writer.artifacts.write(
          logged.artifactUri,
          path,
          typeof data === 'string' ? Buffer.from(data) : data,
        );
    } catch (error) {
      await this.writer.store.finalizeLoggedModel(logged.modelId, 'FAILED').catch(() => undefined);
      throw error;
    }
    await this.writer.store.finalizeLoggedModel(logged.modelId, 'READY');
    await this.writer.store.logOutputs(this.runId, [{ modelId: logged.modelId, step }]);
    return logged;
  }

  /** Metrics of a logged model of this run: the run's metrics, linked to the model. */
  async logModelMetrics(
    model: LoggedModel,
    metrics: Record<string, number>,
    step = 0,
  ): Promise<void> {
    const timestamp = Date.now();
    await this.writer.store.logBatch(this.runId, {
      metrics: Object.entries(metrics).map(([key, value]) => ({
        key,
        value,
        step,
        timestamp,
        modelId: model.modelId,
      })),
    });
  }

  /** A registry version from a logged model of the run, or from the run's artifacts at a path. */
  async registerModel(
    name: string,
    from: LoggedModel | string,
    alias?: string,
  ): Promise<ModelVersion> {
    const version = await this.writer.registry.createModelVersion(
      name,
      this.info,
      typeof from === 'string' ? { artifactPath: from } : { model: from },
    );
    if (alias) await this.writer.registry.setRegisteredModelAlias(name, alias, version.version);
    return version;
  }

  async end(status: RunStatus = 'FINISHED'): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.writer.store.updateRun(this.runId, status, Date.now());
  }
}

/** The tags a Python run carries: who, from what source, at which commit. */
export function systemTags(sourceName: string, cwd = process.cwd()): Tag[] {
  const tags: Tag[] = [
    { key: 'mlflow.user', value: safeUserName() },
    { key: 'mlflow.source.name', value: sourceName },
    { key: 'mlflow.source.type', value: 'LOCAL' },
  ];
  const git = spawnSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' });
  if (git.status === 0 && git.stdout.trim())
    tags.push({ key: 'mlflow.source.git.commit', value: git.stdout.trim() });
  return tags;
}

function safeUserName(): string {
  return process.env['MLFLOW_TRACKING_USER'] ?? currentUser();
}

export interface StartRunOptions {
  experimentName: string;
  runName: string;
  sourceName: string;
  tags?: Record<string, string>;
  /**
   * A run that already exists, as `mlflow run` passes it in MLFLOW_RUN_ID: log into it instead
   * of creating one, as Python's `mlflow.start_run()` does.
   */
  existingRunId?: string;
}

/** Creates the experiment when missing and starts a run with the system tags (or resumes one). */
export async function startRun(
  tracking: Pick<Tracking, 'store' | 'writer'>,
  options: StartRunOptions,
): Promise<ActiveRun> {
  const { store, writer } = tracking;
  if (options.existingRunId) {
    const { info } = await store.getRun(options.existingRunId);
    const run = new ActiveRun(writer, info);
    await run.setTags(options.tags ?? {});
    return run;
  }
  const experimentId = await writer.store.getOrCreateExperiment(options.experimentName);
  const tags = [
    ...systemTags(options.sourceName),
    ...Object.entries(options.tags ?? {}).map(([key, value]) => ({ key, value })),
  ];
  const info = await writer.store.createRun(experimentId, options.runName, Date.now(), tags);
  return new ActiveRun(writer, info);
}

/**
 * The one way a use case runs: starts (or resumes) the run, runs `body` with it, and ends it
 * FINISHED when the body resolves or FAILED when it throws; the body's error goes on, and a
 * failure to mark the run FAILED (the server gone as well) goes to `onFailedEnd`, not over it.
 */
export async function withRun<T>(
  tracking: Pick<Tracking, 'store' | 'writer'>,
  options: StartRunOptions & { onFailedEnd?: (error: unknown) => void },
  body: (run: ActiveRun) => Promise<T>,
): Promise<T> {
  const run = await startRun(tracking, options);
  let result: T;
  try {
    result = await body(run);
  } catch (error) {
    await run.end('FAILED').catch((endError: unknown) => options.onFailedEnd?.(endError));
    throw error;
  }
  await run.end('FINISHED');
  return result;
}

/** Where a person finds the run: its page in the MLflow UI, or how to open the local store. */
export function describeRunLocation(storeLocation: string, info: RunInfo): string {
  if (/^https?:\/\//.test(storeLocation))
    return `${storeLocation}/#/experiments/${info.experimentId}/runs/${info.runId}`;
  return `${storeLocation} (run ${info.runId}; view with: MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri ${storeLocation})`;
}
