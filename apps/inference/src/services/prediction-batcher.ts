import { inject, injectable } from 'tsyringe';
import { ServingMetrics } from '../observability/metrics';
import type { ServingConfig } from '../serving-params';
import { SERVING_CONFIG } from '../tokens';
import { ModelService, type LoadedModel } from './model-service';

export interface BatchResult {
  probabilities: Float32Array[];
  model: LoadedModel;
}

interface Job {
  images: Uint8Array[];
  queuedAt: number;
  resolve: (result: BatchResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Adaptive batching, as BentoML's dispatcher does it: requests that come close together share one
 * model call, so the per-call cost (tensor set-up, kernel dispatch) is paid once per batch. A batch
 * goes to the model when it holds MAX_BATCH_SIZE images or when its first request has waited
 * MAX_BATCH_WAIT_MS; with a wait of 0 it takes whatever arrived in the same turn of the event
 * loop. Whole requests only: a request bigger than the batch size goes alone.
 */
@injectable()
export class PredictionBatcher {
  private readonly queue: Job[] = [];
  private queuedImages = 0;
  /** Cancels the pending flush, when one is scheduled. */
  private cancelFlush?: () => void;

  constructor(
    @inject(SERVING_CONFIG) private readonly config: ServingConfig,
    @inject(ModelService) private readonly models: ModelService,
    @inject(ServingMetrics) private readonly metrics: ServingMetrics,
  ) {}

  predict(images: Uint8Array[]): Promise<BatchResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ images, queuedAt: performance.now(), resolve, reject });
      this.queuedImages += images.length;
      if (this.queuedImages >= this.config.maxBatchSize) this.flush();
      else if (!this.cancelFlush) this.cancelFlush = this.scheduleFlush();
    });
  }

  private scheduleFlush(): () => void {
    const wait = this.config.maxBatchWaitMs;
    if (wait === 0) {
      const immediate = setImmediate(() => this.flush());
      return () => clearImmediate(immediate);
    }
    const timer = setTimeout(() => this.flush(), wait);
    return () => clearTimeout(timer);
  }

  private flush(): void {
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    const jobs = this.queue.splice(0);
    this.queuedImages = 0;
    const limit = this.config.maxBatchSize;
    for (let start = 0; start < jobs.length;) {
      let end = start;
      let count = 0;
      while (end < jobs.length && (end === start || count + jobs[end].images.length <= limit))
        count += jobs[end++].images.length;
      void this.run(jobs.slice(start, end), count);
      start = end;
    }
  }

  private async run(batch: Job[], count: number): Promise<void> {
    const now = performance.now();
    for (const job of batch) this.metrics.batchQueueWait.observe((now - job.queuedAt) / 1000);
    this.metrics.batchSize.observe(count);
    try {
      const { probabilities, model } = await this.models.predict(
        batch.flatMap((job) => job.images),
      );
      let offset = 0;
      for (const job of batch) {
        job.resolve({
          probabilities: probabilities.slice(offset, offset + job.images.length),
          model,
        });
        offset += job.images.length;
      }
    } catch (error) {
      for (const job of batch) job.reject(error);
    }
  }
}
