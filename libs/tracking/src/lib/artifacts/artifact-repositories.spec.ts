import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTracking } from '../register-tracking';
import { startRun } from '../run/active-run';
import { UnsupportedArtifactUriError } from './artifact-repository';

/** An mlruns/ store with one run: a run artifact, a logged model registered as version 1 with an alias. */
async function storeWithModel() {
  const tracking = createTracking(join(mkdtempSync(join(tmpdir(), 'artifacts-')), 'mlruns'), {});
  const run = await startRun(tracking, { experimentName: 'e', runName: 'r', sourceName: 's' });
  await run.logArtifact('plots/loss.png', 'png bytes');
  const model = await run.logModel(
    { name: 'mnist-cnn', modelType: 'tensorflowjs', params: [] },
    () => [{ path: 'model.json', data: '{"format":"layers-model"}' }],
  );
  const version = await run.registerModel('mnist-cnn', model, 'champion');
  await run.end();
  return { tracking, run, model, version };
}

describe('artifact repositories, chosen by URI scheme', () => {
  it('reads a file through runs:/, models:/m-<id>, models:/<name>@<alias> and models:/<name>/<version>', async () => {
    const { tracking, run, model } = await storeWithModel();
    const { artifacts } = tracking;
    expect((await artifacts.read(`runs:/${run.runId}/plots`, 'loss.png')).toString()).toBe(
      'png bytes',
    );
    for (const uri of [
      `models:/${model.modelId}`,
      'models:/mnist-cnn@champion',
      'models:/mnist-cnn/1',
    ])
      expect((await artifacts.read(uri, 'model.json')).toString()).toBe(
        '{"format":"layers-model"}',
      );
    // A path below the model URI, as MLflow allows.
    expect(
      (await artifacts.read('models:/mnist-cnn@champion/model.json', '')).toString(),
    ).toContain('layers-model');
  });

  it('reads file:// URIs and plain paths from the local disk', async () => {
    const { artifacts } = createTracking(
      join(mkdtempSync(join(tmpdir(), 'artifacts-')), 'mlruns'),
      {},
    );
    const dir = mkdtempSync(join(tmpdir(), 'files-'));
    writeFileSync(join(dir, 'a.txt'), 'local');
    expect((await artifacts.read(pathToFileURL(dir).href, 'a.txt')).toString()).toBe('local');
    expect((await artifacts.read(dir, 'a.txt')).toString()).toBe('local');
    await artifacts.write(pathToFileURL(dir).href, 'sub/b.txt', Buffer.from('written'));
    expect((await artifacts.read(dir, 'sub/b.txt')).toString()).toBe('written');
  });

  it('says why a URI cannot be served: the server proxy without a server, an unknown scheme, a model URI written to', async () => {
    const { artifacts } = createTracking(
      join(mkdtempSync(join(tmpdir(), 'artifacts-')), 'mlruns'),
      {},
    );
    expect(() => artifacts.forUri('mlflow-artifacts:/1/abc/artifacts')).toThrow(
      /mlflow-artifacts:\/1\/abc\/artifacts: it is served by an MLflow server's artifact proxy/,
    );
    expect(() => artifacts.forUri('s3://bucket/key')).toThrow(
      /no artifact repository for "s3:" \(served: plain paths, file:, runs:, models:\)/,
    );
    await expect(
      artifacts.write('models:/mnist-cnn@champion', 'x', new Uint8Array(1)),
    ).rejects.toThrow(UnsupportedArtifactUriError);
    await expect(artifacts.read('models:/not a model uri', 'x')).rejects.toThrow(
      /use models:\/m-<model id>, models:\/<name>\/<version> or models:\/<name>@<alias>/,
    );
  });

  it('names the run or model a runs:/ or models:/ URI points at when there is none', async () => {
    const { artifacts } = await storeWithModel().then((s) => s.tracking);
    await expect(artifacts.read('runs:/0123456789abcdef/model', 'model.json')).rejects.toThrow(
      /no run 0123456789abcdef/,
    );
    await expect(artifacts.read('models:/mnist-cnn@nope', 'model.json')).rejects.toThrow(
      'registered model mnist-cnn has no alias "nope"',
    );
    await expect(artifacts.read('models:/m-0000', 'model.json')).rejects.toThrow(
      /no logged model m-0000/,
    );
  });
});
