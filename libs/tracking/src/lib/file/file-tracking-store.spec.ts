import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMlflowPython } from '@mnist-mlops/testing';
import { startRun } from '../run/active-run';
import { createTracking } from '../register-tracking';

const PNG_BYTES = Buffer.from('89504e470d0a1a0a', 'hex');

interface PythonView {
  status: string;
  run_name: string;
  params: Record<string, string>;
  tags: Record<string, string>;
  loss: [number, number][];
  cpu: [number, number][];
  artifacts: string[];
  model_files: string[];
  alias_version: string;
  logged_models: {
    model_id: string;
    status: string;
    params: Record<string, string>;
    metrics: Record<string, number>;
    files: string[];
  }[];
  outputs: string[];
  v2: [string, string | null];
  alias_run: string;
  experiment: string;
  experiment_kind: string;
  datasets: [string, string, string, string, Record<string, string>][];
}

describe('FileTrackingStore (mlruns/ read back by MLflow itself)', () => {
  it('writes a run, its metric history, artifacts and a registered model version that the Python client reads', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'mlruns-')), 'mlruns');
    const tracking = createTracking(root, {});
    const { store, registry, artifacts } = tracking;
    const run = await startRun(tracking, {
      experimentName: 'mnist',
      runName: 'cnn-1',
      sourceName: 'apps/trainer/src/main.ts',
      tags: { backend: 'wasm' },
    });
    await run.logParams({ epochs: 3, learning_rate: 0.001, backend: 'wasm', flag: true });
    const datasets = [
      {
        name: 'mnist-train',
        digest: 'a1b2c3d4e5f60718',
        sourceType: 'local',
        source: '{"uri": "/data/mnist"}',
        profile: '{"images": 54000}',
        context: 'training',
      },
      {
        name: 'mnist-test',
        digest: '0f1e2d3c4b5a6978',
        sourceType: 'local',
        source: '{"uri": "/data/mnist"}',
        context: 'test',
      },
    ];
    await run.logDatasets(datasets);
    // Logged again (a replay, a retry): still one input each.
    await run.logDatasets(datasets);
    for (let epoch = 1; epoch <= 3; epoch++)
      await run.logMetrics({ loss: 1 / epoch, accuracy: 0.9 + epoch / 100 }, epoch);
    await run.logMetrics({ test_accuracy: 0.99 });
    // System metrics' names hold a slash: MLflow keeps them as nested files.
    for (let step = 0; step < 2; step++)
      await run.logMetrics({ 'system/cpu_utilization_percentage': 40 + step }, step);
    await run.logArtifact('plots/roc_digit_0.png', PNG_BYTES);
    await run.logArtifact('model/model.json', '{}');
    await run.logArtifact('model/weights.bin', new Uint8Array(16));
    const version = await run.registerModel('mnist-cnn', 'model', 'champion');
    // An MLflow 3 logged model, registered as a second version.
    const logged = await run.logModel(
      { name: 'mnist-cnn', modelType: 'tensorflowjs', params: [{ key: 'epochs', value: '3' }] },
      () => [
        { path: 'model.json', data: '{}' },
        { path: 'weights.bin', data: new Uint8Array(16) },
      ],
    );
    await run.logModelMetrics(logged, { test_loss: 0.04 });
    const fromModel = await run.registerModel('mnist-cnn', logged);
    expect(fromModel).toMatchObject({ version: '2', modelId: logged.modelId });
    expect((await artifacts.read(fromModel.source, 'model.json')).toString()).toBe('{}');
    expect(version.version).toBe('1');
    await run.end('FINISHED');
    // A second experiment lookup finds the same experiment.
    expect(await store.getOrCreateExperiment('mnist')).toBe(run.info.experimentId);

    const seen = runMlflowPython<PythonView>(
      `
import json, mlflow
from mlflow import MlflowClient
mlflow.set_tracking_uri("file://${root}")
c = MlflowClient()
r = mlflow.get_run("${run.runId}")
mv = c.get_model_version_by_alias("mnist-cnn", "champion")
print(json.dumps({
  "status": r.info.status, "run_name": r.info.run_name, "params": r.data.params, "tags": r.data.tags,
  "loss": [[m.step, m.value] for m in c.get_metric_history(r.info.run_id, "loss")],
  "cpu": [[m.step, m.value] for m in c.get_metric_history(r.info.run_id, "system/cpu_utilization_percentage")],
  "artifacts": sorted(a.path for a in c.list_artifacts(r.info.run_id, "plots")),
  "model_files": sorted(a.path for a in c.list_artifacts(r.info.run_id, "model")),
  "alias_version": str(mv.version), "alias_run": mv.run_id,
  "logged_models": [{"model_id": m.model_id, "status": str(m.status), "params": m.params,
    "metrics": {x.key: x.value for x in (m.metrics or [])},
    "files": sorted(a.path.split("/")[-1] for a in mlflow.artifacts.list_artifacts(artifact_uri=m.artifact_location))}
    for m in mlflow.search_logged_models(experiment_ids=[r.info.experiment_id], output_format="list")],
  "outputs": [o.model_id for o in (r.outputs.model_outputs if r.outputs else [])],
  "v2": [c.get_model_version("mnist-cnn", "2").source, c.get_model_version("mnist-cnn", "2").model_id],
  "experiment": c.get_experiment(r.info.experiment_id).name,
  "experiment_kind": c.get_experiment(r.info.experiment_id).tags.get("mlflow.experimentKind"),
  "datasets": sorted([d.dataset.name, d.dataset.digest, d.dataset.source_type, d.dataset.source, {t.key: t.value for t in d.tags}] for d in r.inputs.dataset_inputs),
}))
`,
      { MLFLOW_ALLOW_FILE_STORE: 'true' },
    );
    expect(seen).toMatchObject({ status: 'FINISHED', run_name: 'cnn-1', experiment: 'mnist' });
    // New experiments open in MLflow 3's model-training view.
    expect(seen.experiment_kind).toBe('custom_model_development');
    expect(seen.datasets).toEqual([
      [
        'mnist-test',
        '0f1e2d3c4b5a6978',
        'local',
        '{"uri": "/data/mnist"}',
        { 'mlflow.data.context': 'test' },
      ],
      [
        'mnist-train',
        'a1b2c3d4e5f60718',
        'local',
        '{"uri": "/data/mnist"}',
        { 'mlflow.data.context': 'training' },
      ],
    ]);
    expect(seen.params).toEqual({
      epochs: '3',
      learning_rate: '0.001',
      backend: 'wasm',
      flag: 'true',
    });
    expect(seen.tags).toMatchObject({
      'mlflow.runName': 'cnn-1',
      'mlflow.source.type': 'LOCAL',
      'mlflow.source.name': 'apps/trainer/src/main.ts',
      backend: 'wasm',
    });
    expect(seen.tags['mlflow.user']).toBeTruthy();
    expect(seen.loss).toEqual([
      [1, 1],
      [2, 0.5],
      [3, 1 / 3],
    ]);
    expect(seen.cpu).toEqual([
      [0, 40],
      [1, 41],
    ]);
    expect(seen.artifacts).toEqual(['plots/roc_digit_0.png']);
    expect(seen.model_files).toEqual(['model/model.json', 'model/weights.bin']);
    expect(seen).toMatchObject({ alias_version: '1', alias_run: run.runId });
    expect(seen.logged_models).toEqual([
      {
        model_id: logged.modelId,
        status: 'READY',
        params: { epochs: '3' },
        metrics: { test_loss: 0.04 },
        files: ['model.json', 'weights.bin'],
      },
    ]);
    expect(seen.outputs).toEqual([logged.modelId]);
    expect(seen.v2).toEqual([`models:/${logged.modelId}`, logged.modelId]);

    // The registry reads back: alias -> version -> model files.
    const byAlias = await registry.getModelVersionByAlias('mnist-cnn', 'champion');
    expect(byAlias).toMatchObject({
      version: '1',
      runId: run.runId,
      source: `runs:/${run.runId}/model`,
    });
    expect((await artifacts.read(byAlias.source, 'model.json')).toString()).toBe('{}');
    await expect(registry.getModelVersionByAlias('mnist-cnn', 'nope')).rejects.toThrow(
      'registered model mnist-cnn has no alias "nope"',
    );

    // Our own reader agrees.
    const back = await store.getRun(run.runId);
    expect(back.info.status).toBe('FINISHED');
    expect(back.metrics['loss']).toBeCloseTo(1 / 3);
    expect(back.metrics['system/cpu_utilization_percentage']).toBe(41);
  });

  it('refuses to change a logged param and keys that would leave the folder', async () => {
    const tracking = createTracking(join(mkdtempSync(join(tmpdir(), 'mlruns-')), 'mlruns'), {});
    const run = await startRun(tracking, { experimentName: 'e', runName: 'r', sourceName: 's' });
    await run.logParams({ a: 1 });
    await run.logParams({ a: 1 });
    await expect(run.logParams({ a: 2 })).rejects.toThrow(
      'param a was already logged as "1" and cannot change to "2"',
    );
    await expect(run.logMetrics({ '../escape': 1 })).rejects.toThrow(
      'invalid MLflow key "../escape"',
    );
  });
});
