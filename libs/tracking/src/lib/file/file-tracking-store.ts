import { randomInt, randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LocalStore } from '@mnist-mlops/storage';
import { currentUser } from '../current-user';
import { stringify } from 'yaml';
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
import { ModelNotFoundError } from '../errors';
import { DATASET_CONTEXT_TAG, NEW_EXPERIMENT_TAGS, type TrackingStore } from '../tracking-store';
import { checkKey, formatNumber, md5, readYaml, sortKeys } from './mlruns-files';

/** The keys kept in a run's metrics/, params/ or tags/ folder: its files, nested ones as `a/b`. */
async function keysIn(folder: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const keys: string[] = [];
  for (const entry of entries) {
    const key = `${prefix}${entry.name}`;
    if (entry.isDirectory()) keys.push(...(await keysIn(join(folder, entry.name), `${key}/`)));
    else if (entry.isFile()) keys.push(key);
  }
  return keys.sort();
}

/** LoggedModelStatus.to_int() in MLflow. */
const LOGGED_MODEL_STATUS = { PENDING: 1, READY: 2, FAILED: 3 } as const;

/** MLflow's integer codes for run status in meta.yaml. */
const STATUS_CODES: Record<RunStatus, number> = {
  RUNNING: 1,
  SCHEDULED: 2,
  FINISHED: 3,
  FAILED: 4,
  KILLED: 5,
};
const STATUS_NAMES = Object.fromEntries(
  Object.entries(STATUS_CODES).map(([name, code]) => [code, name]),
) as Record<number, RunStatus>;
/** Folders of the root and of an experiment that are not experiments or runs. */
const RESERVED = new Set(['.trash', 'models', 'tags', 'datasets', 'traces']);

/**
 * Writes runs and logged models in MLflow's own `mlruns/` layout, so `mlflow ui --backend-store-uri ./mlruns` and
 * the Python client read them (MLflow 3.13+ wants `MLFLOW_ALLOW_FILE_STORE=true`). Files are
 * replaced atomically (write beside, then rename); metric histories are appended a line at a time.
 */
export class FileTrackingStore implements TrackingStore {
  readonly location: string;
  private readonly root: string;
  private readonly files = new LocalStore();
  private readonly experimentOfRun = new Map<string, string>();
  private readonly experimentOfModel = new Map<string, string>();

  constructor(rootUri: string) {
    this.root = rootUri.startsWith('file:') ? fileURLToPath(rootUri) : resolve(rootUri);
    this.location = this.root;
  }

  async getOrCreateExperiment(name: string): Promise<string> {
    await this.ensureDefaultExperiment();
    for (const id of await this.experimentIds()) {
      const meta = await readYaml(join(this.root, id, 'meta.yaml'));
      if (meta?.['name'] === name) return id;
    }
    // MLflow's file store uses random 18-digit ids.
    const id = `${randomInt(1, 10)}${Array.from({ length: 17 }, () => randomInt(0, 10)).join('')}`;
    await this.writeExperiment(id, name);
    // Experiment tags live in <id>/tags/<key>, as MLflow's file store keeps them.
    for (const tag of NEW_EXPERIMENT_TAGS)
      await this.files.write(join(this.root, id, 'tags', checkKey(tag.key)), tag.value);
    return id;
  }

  async createRun(
    experimentId: string,
    runName: string,
    startTime: number,
    tags: Tag[],
  ): Promise<RunInfo> {
    const runId = randomUUID().replace(/-/g, '');
    const dir = join(this.root, experimentId, runId);
    const info: RunInfo = {
      runId,
      experimentId,
      runName,
      status: 'RUNNING',
      startTime,
      artifactUri: `${pathToFileURL(join(dir, 'artifacts')).href}`,
    };
    await Promise.all(
      ['metrics', 'params', 'artifacts', 'tags'].map((sub) =>
        mkdir(join(dir, sub), { recursive: true }),
      ),
    );
    await this.writeRunMeta(info, dir);
    this.experimentOfRun.set(runId, experimentId);
    await this.logBatch(runId, { tags: [{ key: 'mlflow.runName', value: runName }, ...tags] });
    return info;
  }

  async logBatch(
    runId: string,
    batch: { metrics?: Metric[]; params?: Param[]; tags?: Tag[] },
  ): Promise<void> {
    const dir = await this.runDir(runId);
    for (const param of batch.params ?? []) {
      const path = join(dir, 'params', checkKey(param.key));
      const existing = await readFile(path, 'utf8').catch(() => undefined);
      if (existing !== undefined && existing !== param.value) {
        throw new Error(
          `param ${param.key} was already logged as "${existing}" and cannot change to "${param.value}"`,
        );
      }
      if (existing === undefined) await this.files.write(path, param.value);
    }
    for (const tag of batch.tags ?? [])
      await this.files.write(join(dir, 'tags', checkKey(tag.key)), tag.value);
    const lines = new Map<string, string>();
    for (const metric of batch.metrics ?? []) {
      const key = checkKey(metric.key);
      lines.set(
        key,
        `${lines.get(key) ?? ''}${metric.timestamp} ${formatNumber(metric.value)} ${metric.step}\n`,
      );
    }
    for (const [key, text] of lines) {
      // A key with slashes (system/cpu_utilization_percentage) is a nested file, as MLflow keeps it.
      const path = join(dir, 'metrics', key);
      await mkdir(dirname(path), { recursive: true });
      await appendFile(path, text);
    }
    // A metric of a logged model is kept with the model too, with the run that logged it.
    for (const metric of batch.metrics ?? []) {
      if (!metric.modelId) continue;
      const path = join(await this.loggedModelDir(metric.modelId), 'metrics', checkKey(metric.key));
      await mkdir(dirname(path), { recursive: true });
      await appendFile(
        path,
        `${metric.timestamp} ${formatNumber(metric.value)} ${metric.step} ${runId}\n`,
      );
    }
  }

  /**
   * As MLflow's file store: each dataset once per experiment in `<experiment>/datasets/<id>/`
   * (id: md5 of name and digest), and the run's use of it in `<run>/inputs/<id>/` with its tags.
   */
  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    const dir = await this.runDir(runId);
    const experimentDir = dirname(dir);
    for (const { context, sourceType, ...dataset } of datasets) {
      const datasetId = md5(dataset.name, dataset.digest);
      const datasetMeta = join(experimentDir, 'datasets', datasetId, 'meta.yaml');
      if (!(await this.files.exists(datasetMeta)))
        await this.files.write(
          datasetMeta,
          stringify(
            sortKeys({
              name: dataset.name,
              digest: dataset.digest,
              source_type: sourceType,
              source: dataset.source,
              schema: dataset.schema ?? null,
              profile: dataset.profile ?? null,
            }),
          ),
        );
      const inputMeta = join(dir, 'inputs', md5(datasetId, runId), 'meta.yaml');
      if (!(await this.files.exists(inputMeta)))
        await this.files.write(
          inputMeta,
          stringify({
            source_type: 'DATASET',
            source_id: datasetId,
            destination_type: 'RUN',
            destination_id: runId,
            tags: { [DATASET_CONTEXT_TAG]: context },
          }),
        );
    }
  }

  async updateRun(runId: string, status: RunStatus, endTime: number): Promise<void> {
    const dir = await this.runDir(runId);
    const meta = (await readYaml(join(dir, 'meta.yaml'))) ?? {};
    meta['status'] = STATUS_CODES[status];
    meta['end_time'] = endTime;
    await this.files.write(join(dir, 'meta.yaml'), stringify(sortKeys(meta)));
  }

  async logArtifact(run: RunInfo, artifactPath: string, data: Uint8Array): Promise<void> {
    await this.files.write(join(fileURLToPath(run.artifactUri), artifactPath), data);
  }

  /**
   * As MLflow's file store: `<experiment>/models/<model id>/` with meta.yaml, params/, tags/ and
   * metrics/; the files under the experiment's artifact location, `models/<model id>/artifacts/`.
   */
  async createLoggedModel(run: RunInfo, model: NewLoggedModel): Promise<LoggedModel> {
    const modelId = `m-${randomUUID().replace(/-/g, '')}`;
    const experiment = await readYaml(join(this.root, run.experimentId, 'meta.yaml'));
    const base = String(
      experiment?.['artifact_location'] ?? pathToFileURL(join(this.root, run.experimentId)).href,
    );
    const artifactUri = `${base.replace(/\/+$/, '')}/models/${modelId}/artifacts`;
    const now = Date.now();
    const dir = this.modelDir(run.experimentId, modelId);
    await this.files.write(
      join(dir, 'meta.yaml'),
      stringify(
        sortKeys({
          artifact_location: artifactUri,
          creation_timestamp: now,
          experiment_id: run.experimentId,
          last_updated_timestamp: now,
          lifecycle_stage: 'active',
          model_id: modelId,
          model_type: model.modelType,
          name: model.name,
          source_run_id: run.runId,
          status: LOGGED_MODEL_STATUS.PENDING,
          status_message: null,
        }),
      ),
    );
    await mkdir(join(dir, 'metrics'), { recursive: true });
    for (const param of model.params)
      await this.files.write(join(dir, 'params', checkKey(param.key)), param.value);
    for (const tag of model.tags ?? [])
      await this.files.write(join(dir, 'tags', checkKey(tag.key)), tag.value);
    this.experimentOfModel.set(modelId, run.experimentId);
    return {
      modelId,
      experimentId: run.experimentId,
      name: model.name,
      artifactUri,
      sourceRunId: run.runId,
    };
  }

  async logModelArtifact(
    model: LoggedModel,
    artifactPath: string,
    data: Uint8Array,
  ): Promise<void> {
    await this.files.write(join(fileURLToPath(model.artifactUri), artifactPath), data);
  }

  async finalizeLoggedModel(modelId: string, status: 'READY' | 'FAILED'): Promise<void> {
    const path = join(await this.loggedModelDir(modelId), 'meta.yaml');
    const meta = (await readYaml(path)) ?? {};
    meta['status'] = LOGGED_MODEL_STATUS[status];
    meta['last_updated_timestamp'] = Date.now();
    await this.files.write(path, stringify(sortKeys(meta)));
  }

  async logOutputs(runId: string, models: { modelId: string; step: number }[]): Promise<void> {
    const dir = await this.runDir(runId);
    for (const { modelId, step } of models)
      await this.files.write(
        join(dir, 'outputs', checkKey(modelId), 'meta.yaml'),
        stringify({
          source_type: 'RUN_OUTPUT',
          source_id: modelId,
          destination_type: 'MODEL_OUTPUT',
          // MLflow's file store writes the model's id here too, and its reader takes it from here.
          destination_id: modelId,
          tags: {},
          step,
        }),
      );
  }

  async getLoggedModel(modelId: string): Promise<LoggedModel> {
    const meta = await readYaml(join(await this.loggedModelDir(modelId), 'meta.yaml'));
    if (!meta) throw new ModelNotFoundError(`no logged model ${modelId} in ${this.root}`);
    return {
      modelId,
      experimentId: String(meta['experiment_id']),
      name: String(meta['name']),
      artifactUri: String(meta['artifact_location']),
      sourceRunId: String(meta['source_run_id'] ?? ''),
    };
  }

  private modelDir(experimentId: string, modelId: string): string {
    return join(this.root, experimentId, 'models', checkKey(modelId));
  }

  private async loggedModelDir(modelId: string): Promise<string> {
    let experimentId = this.experimentOfModel.get(modelId);
    if (!experimentId) {
      for (const id of await this.experimentIds())
        if (await this.files.exists(join(this.modelDir(id, modelId), 'meta.yaml')))
          experimentId = id;
      if (!experimentId) throw new ModelNotFoundError(`no logged model ${modelId} in ${this.root}`);
      this.experimentOfModel.set(modelId, experimentId);
    }
    return this.modelDir(experimentId, modelId);
  }

  async findRunsByTag(experimentId: string, key: string, value: string): Promise<string[]> {
    const root = join(this.root, experimentId);
    const found: { runId: string; start: number }[] = [];
    for (const entry of await readdir(root, { withFileTypes: true }).catch(() => [])) {
      if (!entry.isDirectory() || RESERVED.has(entry.name)) continue;
      const tag = await readFile(join(root, entry.name, 'tags', checkKey(key)), 'utf8').catch(
        () => undefined,
      );
      if (tag !== value) continue;
      const meta = await readYaml(join(root, entry.name, 'meta.yaml'));
      found.push({ runId: entry.name, start: Number(meta?.['start_time'] ?? 0) });
    }
    return found.sort((a, b) => a.start - b.start).map((r) => r.runId);
  }

  async getRun(runId: string) {
    const dir = await this.runDir(runId);
    const meta = (await readYaml(join(dir, 'meta.yaml'))) ?? {};
    const readAll = async (sub: string) => {
      const out: Record<string, string> = {};
      for (const key of await keysIn(join(dir, sub)))
        out[key] = await readFile(join(dir, sub, key), 'utf8');
      return out;
    };
    const metrics: Record<string, number> = {};
    for (const key of await keysIn(join(dir, 'metrics'))) {
      const history = await this.getMetricHistory(runId, key);
      const latest = history.reduce((a, b) =>
        b.step > a.step || (b.step === a.step && b.timestamp >= a.timestamp) ? b : a,
      );
      metrics[key] = latest.value;
    }
    const info: RunInfo = {
      runId,
      experimentId: String(meta['experiment_id']),
      runName: String(meta['run_name'] ?? ''),
      status: STATUS_NAMES[Number(meta['status'])] ?? 'RUNNING',
      startTime: Number(meta['start_time']),
      endTime: meta['end_time'] == null ? undefined : Number(meta['end_time']),
      artifactUri: String(meta['artifact_uri']),
    };
    return { info, params: await readAll('params'), tags: await readAll('tags'), metrics };
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const text = await readFile(
      join(await this.runDir(runId), 'metrics', checkKey(key)),
      'utf8',
    ).catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [timestamp, value, step] = line.split(' ');
        return { key, timestamp: Number(timestamp), value: Number(value), step: Number(step ?? 0) };
      });
  }

  private async ensureDefaultExperiment(): Promise<void> {
    if (!(await this.files.exists(join(this.root, '0', 'meta.yaml'))))
      await this.writeExperiment('0', 'Default');
    await mkdir(join(this.root, '.trash'), { recursive: true });
  }

  private async writeExperiment(id: string, name: string): Promise<void> {
    const now = Date.now();
    await this.files.write(
      join(this.root, id, 'meta.yaml'),
      stringify(
        sortKeys({
          artifact_location: pathToFileURL(join(this.root, id)).href,
          creation_time: now,
          effective_trace_archival_retention: null,
          experiment_id: id,
          last_update_time: now,
          lifecycle_stage: 'active',
          name,
          trace_location: null,
          workspace: 'default',
        }),
      ),
    );
  }

  private async writeRunMeta(info: RunInfo, dir: string): Promise<void> {
    const meta = {
      artifact_uri: info.artifactUri,
      end_time: info.endTime ?? null,
      entry_point_name: '',
      experiment_id: info.experimentId,
      lifecycle_stage: 'active',
      run_id: info.runId,
      run_name: info.runName,
      source_name: '',
      source_type: 4,
      source_version: '',
      start_time: info.startTime,
      status: STATUS_CODES[info.status],
      tags: [],
      user_id: currentUser(),
    };
    await this.files.write(join(dir, 'meta.yaml'), stringify(sortKeys(meta)));
  }

  private async experimentIds(): Promise<string[]> {
    const entries = await readdir(this.root, { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isDirectory() && !RESERVED.has(e.name)).map((e) => e.name);
  }

  private async runDir(runId: string): Promise<string> {
    let experimentId = this.experimentOfRun.get(runId);
    if (!experimentId) {
      for (const id of await this.experimentIds()) {
        if (await this.files.exists(join(this.root, id, runId, 'meta.yaml'))) experimentId = id;
      }
      if (!experimentId) throw new Error(`no run ${runId} in ${this.root}`);
      this.experimentOfRun.set(runId, experimentId);
    }
    return join(this.root, experimentId, runId);
  }
}
