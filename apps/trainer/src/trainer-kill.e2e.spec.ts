import 'reflect-metadata';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { listVersions, loadModel } from '@mnist-mlops/model';
import { LocalStore } from '@mnist-mlops/storage';
import { startProcess, stopProcess, waitUntil, workspaceRoot } from '@mnist-mlops/testing';

const TRAINER = ['--require', '@swc-node/register', 'apps/trainer/src/main.ts'];

/**
 * The trainer killed with SIGKILL while it saves: whatever it had written, the versions on disk
 * that count are whole, and the next training run and trainer:validate work.
 */
describe('a trainer killed while saving', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trainer-kill-'));
  const env = {
    OUTPUT_DIR: join(dir, 'models'),
    MLFLOW_TRACKING_URI: join(dir, 'mlruns'),
    EPOCHS: '1',
    TRAIN_LIMIT: '600',
    TEST_LIMIT: '200',
    PROGRESS: 'false',
    TF_CPP_MIN_LOG_LEVEL: '2',
  };
  const run = (command: string) =>
    spawnSync(process.execPath, [...TRAINER, command], {
      cwd: workspaceRoot,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });

  it('leaves only whole versions, and the next run and validate work', async () => {
    const trainer = startProcess(process.execPath, [...TRAINER, 'train'], env);
    const versionFolder = join(env.OUTPUT_DIR, 'mnist-cnn/1');
    // The first file of the save (even a temporary one) appears: kill it there.
    await waitUntil(
      'the trainer to start saving version 1',
      async () => {
        try {
          return readdirSync(versionFolder).length > 0;
        } catch {
          return trainer.child.exitCode !== null;
        }
      },
      { intervalMs: 5 },
    );
    await stopProcess(trainer.child, 'SIGKILL');

    const store = new LocalStore();
    for (const version of await listVersions(store, env.OUTPUT_DIR, 'mnist-cnn'))
      await expect(
        loadModel(store, join(env.OUTPUT_DIR, 'mnist-cnn', String(version))),
      ).resolves.toBeDefined();

    const again = run('train');
    expect(again.stderr).not.toMatch(/\n\s+at /);
    expect(again.status).toBe(0);
    const versions = await listVersions(store, env.OUTPUT_DIR, 'mnist-cnn');
    const latest = versions.at(-1) as number;
    expect(again.stdout).toContain(`Saved model mnist-cnn version ${latest} `);

    const validate = run('validate');
    expect(validate.status).toBe(0);
    expect(validate.stdout).toMatch(/Test accuracy/);
  });
});
