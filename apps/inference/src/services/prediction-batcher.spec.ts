import 'reflect-metadata';
import { ServingMetrics } from '../observability/metrics';
import type { ServingConfig } from '../serving-params';
import type { LoadedModel, ModelService } from './model-service';
import { PredictionBatcher } from './prediction-batcher';

/**
 * The batcher's policy alone: which requests share a model call. The model stands in as a
 * function that answers each image with its own first byte, so every answer can be traced back.
 */
function setUp(settings: Partial<ServingConfig>, fail = false) {
  const calls: number[] = [];
  const model = { name: 'm', version: '1' } as LoadedModel;
  const models = {
    predict(images: Uint8Array[]) {
      calls.push(images.length);
      if (fail) throw new Error('the model failed');
      return { probabilities: images.map((image) => Float32Array.of(image[0])), model };
    },
  } as unknown as ModelService;
  const metrics = new ServingMetrics();
  const config = { maxBatchSize: 64, maxBatchWaitMs: 0, ...settings } as ServingConfig;
  return { batcher: new PredictionBatcher(config, models, metrics), calls, metrics };
}

const images = (...ids: number[]) => ids.map((id) => Uint8Array.of(id));
const answers = (result: { probabilities: Float32Array[] }) =>
  result.probabilities.map((p) => p[0]);

describe('PredictionBatcher', () => {
  it('with no wait, puts the requests of one event-loop turn in one model call, answers in order', async () => {
    const { batcher, calls } = setUp({});
    const results = await Promise.all([
      batcher.predict(images(1)),
      batcher.predict(images(2, 3)),
      batcher.predict(images(4)),
    ]);
    expect(calls).toEqual([4]);
    expect(results.map(answers)).toEqual([[1], [2, 3], [4]]);
    const later = await batcher.predict(images(5));
    expect(answers(later)).toEqual([5]);
    expect(calls).toEqual([4, 1]);
  });

  it('sends a batch as soon as it holds MAX_BATCH_SIZE images, and never splits a request', async () => {
    const { batcher, calls } = setUp({ maxBatchSize: 4 });
    const results = await Promise.all([
      batcher.predict(images(1, 2)),
      batcher.predict(images(3, 4)),
      batcher.predict(images(5, 6)),
      batcher.predict(images(7, 8, 9, 10, 11)),
    ]);
    expect(calls).toEqual([4, 2, 5]);
    expect(results.map(answers)).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8, 9, 10, 11],
    ]);
  });

  it('with a wait, holds the first request for the others that come within MAX_BATCH_WAIT_MS', async () => {
    // A window far longer than a turn of the event loop, however slow the machine.
    const { batcher, calls } = setUp({ maxBatchWaitMs: 1000 });
    const first = batcher.predict(images(1));
    await new Promise((resolve) => setImmediate(resolve));
    const second = batcher.predict(images(2));
    expect(calls).toEqual([]);
    expect((await Promise.all([first, second])).map(answers)).toEqual([[1], [2]]);
    expect(calls).toEqual([2]);
  });

  it('fails every request of a batch whose model call fails, and goes on serving', async () => {
    const { batcher, calls } = setUp({}, true);
    const results = await Promise.allSettled([
      batcher.predict(images(1)),
      batcher.predict(images(2)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe('the model failed');
    expect(calls).toEqual([2]);
    await expect(batcher.predict(images(3))).rejects.toThrow('the model failed');
  });

  it('counts the images of every model call and the wait of every request', async () => {
    const { batcher, metrics } = setUp({ maxBatchSize: 3 });
    await Promise.all([batcher.predict(images(1, 2, 3)), batcher.predict(images(4))]);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^inference_batch_size_count 2$/m);
    expect(text).toMatch(/^inference_batch_size_sum 4$/m);
    expect(text).toMatch(/^inference_batch_queue_wait_seconds_count 2$/m);
  });
});
