/**
 * `nx run bench:profile`: where one training step of the default CNN (batch 128) spends its time
 * on a backend, kernel by kernel (tf.profile), next to the wall time of a step. One JSON line.
 * Usage: profile-step.ts [tensorflow|wasm]
 */
import 'reflect-metadata';
import * as tf from '@tensorflow/tfjs';
import type { ComputeBackendName } from '@mnist-mlops/compute';
import { defaultCnnParams } from './bench-support';
import { buildCnn, compileForTraining } from '@mnist-mlops/model';
import { activateBackend } from '@mnist-mlops/compute';

async function main(): Promise<void> {
  const backend = (process.argv[2] ?? 'tensorflow') as Exclude<ComputeBackendName, 'auto'>;
  await activateBackend(backend);
  const model = buildCnn(defaultCnnParams());
  compileForTraining(model, 0.001);
  const xs = tf.randomUniform([128, 28, 28, 1]);
  const ys = tf.oneHot(tf.randomUniform([128], 0, 10, 'int32'), 10);
  const steps = backend === 'tensorflow' ? 10 : 3;
  for (let i = 0; i < 3; i++) await model.trainOnBatch(xs, ys);
  const started = performance.now();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(xs, ys);
  const wallMsPerStep = (performance.now() - started) / steps;
  const info = await tf.profile(async () => {
    for (let i = 0; i < steps; i++) await model.trainOnBatch(xs, ys);
  });
  const byKernel: Record<string, { ms: number; calls: number }> = {};
  for (const kernel of info.kernels) {
    const entry = (byKernel[kernel.name] ??= { ms: 0, calls: 0 });
    entry.ms += Number(kernel.kernelTimeMs) || 0;
    entry.calls++;
  }
  const kernelMs = Object.values(byKernel).reduce((sum, e) => sum + e.ms, 0) / steps;
  const top = Object.entries(byKernel)
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 15)
    .map(([name, e]) => ({
      kernel: name,
      msPerStep: Number((e.ms / steps).toFixed(2)),
      callsPerStep: e.calls / steps,
      share: Number((e.ms / steps / kernelMs).toFixed(3)),
    }));
  process.stdout.write(
    `${JSON.stringify({ benchmark: 'profile', backend, wallMsPerStep: Number(wallMsPerStep.toFixed(2)), imagesPerSecond: Math.round((128 * 1000) / wallMsPerStep), kernelsPerStep: info.kernels.length / steps, kernelMsPerStep: Number(kernelMs.toFixed(2)), top })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
