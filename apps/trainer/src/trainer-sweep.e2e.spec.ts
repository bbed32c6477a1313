import 'reflect-metadata';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMlflowPython, startMlflowServer, type MlflowServer } from '@mnist-mlops/testing';
import { runCli } from './cli';
import { capturedIo } from './test-support/captured-io';

interface SweepView {
  parent: {
    status: string;
    tags: Record<string, string>;
    params: Record<string, string>;
    best: number;
    plots: string[];
  };
  children: {
    run_id: string;
    status: string;
    parent: string;
    lr: string;
    source: string;
    acc: number | null;
  }[];
  alias_version_source: string;
  best_model_source: string;
}

/**
 * `trainer sweep` against a real MLflow server, checked with MLflow's Python client: one parent
 * run, a child run per trial tagged mlflow.parentRunId (one of them made to fail), the best
 * trial named on the parent, and the alias on the version registered from its logged model.
 */
describe('trainer sweep', () => {
  let mlflow: MlflowServer;
  beforeAll(async () => {
    mlflow = await startMlflowServer();
  });
  afterAll(() => mlflow?.stop());

  it('runs every trial as a child run, marks the failed one FAILED, and registers the best', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-'));
    const file = join(dir, 'tiny.yaml');
    writeFileSync(
      file,
      [
        'metric: test_accuracy',
        'goal: maximize',
        'method: grid',
        'fixed: { EPOCHS: 1, TRAIN_LIMIT: 1200, TEST_LIMIT: 300, TFJS_BACKEND: wasm, CONV1_FILTERS: 8, CONV2_FILTERS: 16 }',
        'parameters:',
        '  LEARNING_RATE: [0.001, 0.003]',
        `  DATA_SOURCE: [embedded, ${join(dir, 'no-such-data')}]`,
        '',
      ].join('\n'),
    );
    const run = capturedIo({
      MLFLOW_TRACKING_URI: mlflow.uri,
      MLFLOW_EXPERIMENT_NAME: 'mnist-sweep',
      OUTPUT_DIR: join(dir, 'models'),
    });
    const code = await runCli(['sweep', '--sweep', file, '--parallel', '2'], run.streams);
    expect(run.text.errors).toBe('');
    expect(code).toBe(0);
    const parentId = /parent run ([0-9a-f]{32})/.exec(run.text.output)?.[1] as string;
    expect(run.text.output).toMatch(/Best trial [13] /);
    expect(run.text.output).toContain('Registered model mnist-cnn version 1 with alias "champion"');

    const seen = runMlflowPython<SweepView>(`
import json, mlflow
from mlflow import MlflowClient
mlflow.set_tracking_uri("${mlflow.uri}")
c = MlflowClient()
p = c.get_run("${parentId}")
kids = c.search_runs([p.info.experiment_id], filter_string="tags.mlflow.parentRunId = '${parentId}'")
mv = c.get_model_version_by_alias("mnist-cnn", "champion")
best = p.data.tags["mnist.sweep.best_run_id"]
models = mlflow.search_logged_models(experiment_ids=[p.info.experiment_id], filter_string=f"source_run_id = '{best}'", output_format="list")
print(json.dumps({
  "parent": {"status": p.info.status, "tags": p.data.tags, "params": p.data.params,
             "best": p.data.metrics["best_test_accuracy"],
             "plots": [a.path for a in c.list_artifacts(p.info.run_id, "plots")]},
  "children": [{"run_id": k.info.run_id, "status": k.info.status, "parent": k.data.tags["mlflow.parentRunId"],
                "lr": k.data.tags["mnist.sweep.LEARNING_RATE"], "source": k.data.tags["mnist.sweep.DATA_SOURCE"],
                "acc": k.data.metrics.get("test_accuracy")} for k in kids],
  "alias_version_source": mv.source,
  "best_model_source": f"models:/{models[0].model_id}" if models else "",
}))
`);
    expect(seen.parent.status).toBe('FINISHED');
    expect(seen.children).toHaveLength(4);
    const finished = seen.children.filter((k) => k.status === 'FINISHED');
    const failed = seen.children.filter((k) => k.status === 'FAILED');
    expect(finished.map((k) => k.source)).toEqual(['embedded', 'embedded']);
    expect(failed).toHaveLength(2);
    for (const k of seen.children) expect(k.parent).toBe(parentId);
    const best = finished.reduce((a, b) => ((b.acc as number) > (a.acc as number) ? b : a));
    expect(seen.parent.tags['mnist.sweep.best_run_id']).toBe(best.run_id);
    expect(seen.parent.tags['mnist.sweep.failed_trials']).toBe('2');
    expect(seen.parent.best).toBe(best.acc);
    expect(seen.parent.params['best.LEARNING_RATE']).toBe(best.lr);
    expect(seen.parent.plots).toEqual(['plots/sweep_test_accuracy.png']);
    expect(seen.alias_version_source).toBe(seen.best_model_source);
  });

  it('runs as k8s/sweep does: one trial per --trial-index, then --select nests them and registers the best', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-indexed-'));
    const file = join(dir, 'two.yaml');
    writeFileSync(
      file,
      'fixed: { EPOCHS: 1, TRAIN_LIMIT: 1200, TEST_LIMIT: 300, TFJS_BACKEND: wasm, CONV1_FILTERS: 8, CONV2_FILTERS: 16 }\nparameters:\n  LEARNING_RATE: [0.001, 0.003]\n',
    );
    const env = {
      MLFLOW_TRACKING_URI: mlflow.uri,
      MLFLOW_EXPERIMENT_NAME: 'mnist-sweep-indexed',
      OUTPUT_DIR: join(dir, 'models'),
    };
    // The two pods of the Indexed Job, at once.
    const pods = [0, 1].map((index) => {
      const io = capturedIo(env);
      return runCli(
        ['sweep', '--sweep', file, '--sweep-id', 'nightly-7', '--trial-index', String(index)],
        io.streams,
      ).then((code) => ({ code, io }));
    });
    for (const { code, io } of await Promise.all(pods)) {
      expect(io.text.errors).toBe('');
      expect(code).toBe(0);
      expect(io.text.output).toMatch(/Trial [12] of sweep nightly-7: FINISHED/);
    }
    const select = capturedIo(env);
    expect(
      await runCli(
        ['sweep', '--sweep', file, '--sweep-id', 'nightly-7', '--select'],
        select.streams,
      ),
    ).toBe(0);
    expect(select.text.output).toMatch(
      /Registered model mnist-cnn version \d+ with alias "champion"/,
    );

    const seen = runMlflowPython<{
      parents: number;
      children: string[];
      best: string;
      alias_run: string;
    }>(`
import json, mlflow
from mlflow import MlflowClient
mlflow.set_tracking_uri("${mlflow.uri}")
c = MlflowClient()
e = c.get_experiment_by_name("mnist-sweep-indexed")
parents = [r for r in c.search_runs([e.experiment_id]) if r.data.tags.get("mnist.job") == "sweep"]
p = parents[0]
kids = c.search_runs([e.experiment_id], filter_string=f"tags.mlflow.parentRunId = '{p.info.run_id}'")
mv = c.get_model_version_by_alias("mnist-cnn", "champion")
print(json.dumps({"parents": len(parents), "children": sorted(k.info.status for k in kids),
  "best": p.data.tags["mnist.sweep.best_run_id"], "alias_run": mv.run_id}))
`);
    expect(seen.parents).toBe(1);
    expect(seen.children).toEqual(['FINISHED', 'FINISHED']);
    expect(seen.alias_run).toBe(seen.best);
  });
});
