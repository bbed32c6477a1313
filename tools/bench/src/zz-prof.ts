import 'reflect-metadata';
import * as tf from '@tensorflow/tfjs';
import { activateBackend, buildCnn, compileForTraining } from '@mnist-mlops/model';
async function main() {
  await activateBackend('tensorflow');
  const model = buildCnn({
    conv1Filters: 32,
    conv2Filters: 64,
    kernelSize: 3,
    denseUnits: 0,
    dropout: 0.5,
    seed: 1,
  });
  compileForTraining(model, 0.001);
  const xs = tf.randomUniform([128, 28, 28, 1]);
  const ys = tf.oneHot(tf.randomUniform([128], 0, 10, 'int32'), 10);
  for (let i = 0; i < 5; i++) await model.trainOnBatch(xs, ys);
  const steps = 10;
  const info = await tf.profile(async () => {
    for (let i = 0; i < steps; i++) await model.trainOnBatch(xs, ys);
  });
  const by: Record<string, { ms: number; n: number }> = {};
  for (const k of info.kernels) {
    const big = k.inputShapes.some(
      (s) => (s ?? []).reduce((a: number, b: number) => a * b, 1) > 50000,
    );
    const key = `${k.name} ${big ? 'BIG ' + JSON.stringify(k.inputShapes) : 'small'}`;
    const e = (by[key] ??= { ms: 0, n: 0 });
    e.ms += Number(k.kernelTimeMs) || 0;
    e.n++;
  }
  const rows = Object.entries(by)
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 30);
  for (const [k, e] of rows)
    console.log((e.ms / steps).toFixed(3).padStart(7), String(e.n / steps).padStart(5), k);
  const total = Object.values(by).reduce((s, e) => s + e.ms, 0) / steps;
  const small =
    Object.entries(by)
      .filter(([k]) => k.endsWith('small'))
      .reduce((s, [, e]) => s + e.ms, 0) / steps;
  console.log(
    'total',
    total.toFixed(2),
    'small-op total',
    small.toFixed(2),
    'kernels/step',
    info.kernels.length / steps,
  );
}
main();
