import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@mnist-mlops/testing';
import { readSweepPlan } from './sweep-plan';

const dir = mkdtempSync(join(tmpdir(), 'sweep-plan-'));
function sweepFile(text: string): string {
  const file = join(dir, `s${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return file;
}

describe('readSweepPlan', () => {
  it('expands a grid into every combination, with the fixed settings in each', async () => {
    const plan = await readSweepPlan(
      sweepFile(
        'fixed: { EPOCHS: 2 }\nparameters:\n  LEARNING_RATE: [0.001, 0.01]\n  DENSE_UNITS: [0, 64, 128]\n',
      ),
      {},
    );
    expect(plan.trialSettings).toHaveLength(6);
    expect(plan.trialSettings[5]).toEqual({
      EPOCHS: '2',
      LEARNING_RATE: '0.01',
      DENSE_UNITS: '128',
    });
    expect(plan).toMatchObject({
      metric: 'test_accuracy',
      goal: 'maximize',
      varied: ['LEARNING_RATE', 'DENSE_UNITS'],
    });
  });

  it('draws a random search from its seed: the same trials every time, inside the ranges', async () => {
    const text =
      'method: random\ntrials: 5\nseed: 3\nparameters:\n  LEARNING_RATE: { min: 0.0001, max: 0.01, log: true }\n  DENSE_UNITS: [0, 128]\n';
    const [a, b] = await Promise.all([
      readSweepPlan(sweepFile(text), {}),
      readSweepPlan(sweepFile(text), {}),
    ]);
    expect(a.trialSettings).toEqual(b.trialSettings);
    expect(a.trialSettings).toHaveLength(5);
    for (const t of a.trialSettings) {
      expect(Number(t['LEARNING_RATE'])).toBeGreaterThanOrEqual(0.0001);
      expect(Number(t['LEARNING_RATE'])).toBeLessThanOrEqual(0.01);
      expect(['0', '128']).toContain(t['DENSE_UNITS']);
    }
  });

  it.each([
    ['an unknown setting', 'parameters:\n  EPOCS: [1, 2]\n', /unknown setting EPOCS/],
    [
      'a setting the sweep owns',
      'parameters:\n  MLFLOW_RUN_ID: [a]\n',
      /MLFLOW_RUN_ID is set by the sweep itself/,
    ],
    [
      'a value the trainer refuses',
      'parameters:\n  BATCH_SIZE: [64, -5]\n',
      /trial 2 .*BATCH_SIZE/,
    ],
    [
      'a range in a grid',
      'parameters:\n  LEARNING_RATE: { min: 0.1, max: 1 }\n',
      /is a range; a grid needs a list/,
    ],
    [
      'a random search without trials',
      'method: random\nparameters:\n  DENSE_UNITS: [0]\n',
      /needs "trials"/,
    ],
    ['an unknown field', 'metrc: loss\nparameters:\n  DENSE_UNITS: [0]\n', /metrc/],
  ])('refuses %s, naming it', async (_case, text, message) => {
    await expect(readSweepPlan(sweepFile(text), {})).rejects.toThrow(message);
  });

  it('reads the sweeps the project ships', async () => {
    expect(
      (await readSweepPlan(join(workspaceRoot, 'sweeps/quick.yaml'), {})).trialSettings,
    ).toHaveLength(4);
    expect(
      (await readSweepPlan(join(workspaceRoot, 'k8s/sweep/sweep.yaml'), {})).trialSettings,
    ).toHaveLength(8);
  });
});
