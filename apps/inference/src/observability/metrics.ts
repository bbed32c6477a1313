import type { RequestHandler } from 'express';
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { injectable } from 'tsyringe';

let heapUsedAfterMajorGc: number | undefined;
let gcObserver: PerformanceObserver | undefined;

/**
 * The heap in use just after each full (mark-compact) collection: the figure a leak moves and
 * allocation churn does not. One observer per process, however many registries read it.
 */
function watchMajorCollections(): void {
  if (gcObserver) return;
  gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // `detail` is typed only in newer @types/node; at run time Node 16+ sets it on gc entries.
      const detail = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail;
      if (detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)
        heapUsedAfterMajorGc = getHeapStatistics().used_heap_size;
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
}

/**
 * Prometheus metrics of one process: requests and latency by route and status, predictions by
 * digit, the model version served, reloads. Under the cluster the primary merges every worker's.
 */
@injectable()
export class ServingMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to response',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });
  readonly predictions = new Counter({
    name: 'predictions_total',
    help: 'Digits predicted',
    labelNames: ['digit'],
    registers: [this.registry],
  });
  readonly modelInfo = new Gauge({
    name: 'model_info',
    help: 'The model version served (value 1)',
    labelNames: ['name', 'version'],
    registers: [this.registry],
    aggregator: 'max',
  });
  readonly batchSize = new Histogram({
    name: 'inference_batch_size',
    help: 'Images per model call (requests batched together)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
    registers: [this.registry],
  });
  readonly batchQueueWait = new Histogram({
    name: 'inference_batch_queue_wait_seconds',
    help: 'Time a request waited in the batcher before its model call',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [this.registry],
  });
  readonly reloads = new Counter({
    name: 'model_reloads_total',
    help: 'Attempts to load a new model version',
    labelNames: ['result'],
    registers: [this.registry],
  });

  readonly heapAfterGc = new Gauge({
    name: 'nodejs_heap_used_after_major_gc_bytes',
    help: 'V8 heap in use right after the latest full garbage collection (summed over workers)',
    registers: [this.registry],
    aggregator: 'sum',
    collect() {
      if (heapUsedAfterMajorGc !== undefined) this.set(heapUsedAfterMajorGc);
    },
  });

  constructor() {
    watchMajorCollections();
    collectDefaultMetrics({ register: this.registry });
  }

  setModel(name: string, version: string): void {
    this.modelInfo.reset();
    this.modelInfo.set({ name, version }, 1);
  }

  /** Times every request; the route label is the matched route pattern, never the raw URL. */
  middleware(): RequestHandler {
    return (request, response, next) => {
      const stop = this.latency.startTimer();
      response.on('finish', () => {
        const route = request.route?.path
          ? `${request.baseUrl}${request.route.path}`
          : response.statusCode === 404
            ? 'unmatched'
            : request.baseUrl || 'static';
        const labels = { method: request.method, route, status: String(response.statusCode) };
        this.requests.inc(labels);
        stop(labels);
      });
      next();
    };
  }
}
