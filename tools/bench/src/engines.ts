/**
 * `nx run bench:engines`: what one model call costs on each inference engine the service has,
 * for the default CNN of params.env (the cost does not depend on the weights): tfjs on
 * WebAssembly (XNNPACK, one thread) and ONNX Runtime (the model exported to ONNX, CPU, one
 * thread), both in this process, at batch sizes 1, 8 (what 8 connections a worker give) and 64
 * (MAX_BATCH_SIZE). The engines take turns within each round (BENCH_ROUNDS, default 5), so a
 * machine that slows down slows both; a figure is the median round. Prints one JSON line.
 */
import * as tf from '@tensorflow/tfjs';
import { activateBackend } from '@mnist-mlops/compute';
import { buildCnn, onnxRuntimeEngine, tfjsEngine, type InferenceEngine } from '@mnist-mlops/model';
import { defaultCnnParams, median, publishReport } from './bench-support';

const ROUNDS = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 5));
const BATCHES = [1, 8, 64];
/** Images per timed stretch, whatever the batch size. */
const IMAGES = 2048;

async function microsecondsPerImage(engine: InferenceEngine, batch: number): Promise<number> {
  const pixels = Uint8Array.from({ length: batch * 784 }, (_, i) => (i * 37) % 256);
  const calls = Math.max(1, Math.round(IMAGES / batch));
  const start = performance.now();
  for (let i = 0; i < calls; i++) await engine.run(pixels, batch);
  return ((performance.now() - start) * 1000) / (calls * batch);
}

async function main(): Promise<void> {
  await activateBackend('wasm');
  const model = buildCnn(defaultCnnParams());
  const engines = [tfjsEngine(model), await onnxRuntimeEngine(model)];
  const rounds: Record<string, number[]> = {};
  for (const engine of engines)
    for (const batch of BATCHES) await microsecondsPerImage(engine, batch); // warm-up
  for (let round = 0; round < ROUNDS; round++)
    for (const batch of BATCHES)
      for (const engine of engines)
        (rounds[`${engine.name}_batch${batch}`] ??= []).push(
          await microsecondsPerImage(engine, batch),
        );
  const usPerImage = Object.fromEntries(
    Object.entries(rounds).map(([key, values]) => [key, Number(median(values).toFixed(1))]),
  );
  const ratios = Object.fromEntries(
    BATCHES.map((batch) => [
      `batch${batch}_onnxruntime_vs_tfjs`,
      Number(
        (usPerImage[`tfjs_batch${batch}`] / usPerImage[`onnxruntime_batch${batch}`]).toFixed(2),
      ),
    ]),
  );
  publishReport('engines', {
    engines: Object.fromEntries(engines.map((e) => [e.name, e.description])),
    tfjsBackend: tf.getBackend(),
    rounds: ROUNDS,
    usPerImage,
    ratios,
  });
  for (const engine of engines) await engine.dispose();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
