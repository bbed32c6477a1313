import { Gauge, Histogram } from 'prom-client';
import { inject, injectable } from 'tsyringe';
import {
  FEATURE_NAMES,
  featureBin,
  featureValue,
  NUM_CLASSES,
  type FeatureName,
  type InputProfile,
  type PictureStatistics,
} from '@mnist-mlops/data';
import { populationStabilityIndex } from '@mnist-mlops/metrics';
import type { ServingConfig } from '../serving-params';
import { SERVING_CONFIG } from '../tokens';
import { ServingMetrics } from './metrics';

/** Drift scores wait for this many predictions in the window: a handful says nothing. */
export const MIN_DRIFT_SAMPLES = 50;

export interface ObservedPrediction {
  statistics: PictureStatistics;
  digit: number;
  confidence: number;
}

/**
 * Compares what comes in with what the served model was trained on, per model version: the
 * predicted digits against the training labels, and the pictures' statistics (ink share, mean
 * intensity, how much preparation cropped or inverted) against the reference saved with the model
 * (binned at the training data's deciles), as population stability indices over a sliding window of the last DRIFT_WINDOW predictions.
 * Scores are computed when Prometheus scrapes, not per request. A model saved without a reference
 * gets the confidence figures but no drift scores.
 */
@injectable()
export class DriftMonitor {
  private version?: string;
  private reference?: InputProfile;
  private readonly size: number;
  private readonly digits: Uint8Array;
  private readonly bins: Record<FeatureName, Uint8Array>;
  private readonly lowConfidence: Uint8Array;
  private filled = 0;
  private next = 0;

  private readonly confidence: Histogram;

  constructor(
    @inject(SERVING_CONFIG) private readonly config: ServingConfig,
    @inject(ServingMetrics) metrics: ServingMetrics,
  ) {
    this.size = config.driftWindow;
    this.digits = new Uint8Array(this.size);
    this.lowConfidence = new Uint8Array(this.size);
    this.bins = Object.fromEntries(
      FEATURE_NAMES.map((name) => [name, new Uint8Array(this.size)]),
    ) as Record<FeatureName, Uint8Array>;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- prom-client calls collect() with the metric as `this`
    const monitor = this;
    this.confidence = new Histogram({
      name: 'prediction_confidence',
      help: 'Probability of the predicted digit',
      labelNames: ['model_version'],
      buckets: [0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999],
      registers: [metrics.registry],
    });
    new Gauge({
      name: 'prediction_low_confidence_share',
      help: `Share of the window's predictions with confidence below LOW_CONFIDENCE_BELOW`,
      labelNames: ['model_version'],
      registers: [metrics.registry],
      aggregator: 'average',
      collect() {
        this.reset();
        if (monitor.version && monitor.filled)
          this.set({ model_version: monitor.version }, monitor.share(monitor.lowConfidence));
      },
    });
    new Gauge({
      name: 'drift_window_predictions',
      help: 'Predictions in the sliding window the drift scores are computed over',
      labelNames: ['model_version'],
      registers: [metrics.registry],
      aggregator: 'sum',
      collect() {
        this.reset();
        if (monitor.version) this.set({ model_version: monitor.version }, monitor.filled);
      },
    });
    new Gauge({
      name: 'drift_psi',
      help: 'Population stability index of live traffic against the training reference (over 0.25: a significant shift)',
      labelNames: ['feature', 'model_version'],
      registers: [metrics.registry],
      aggregator: 'average',
      collect() {
        this.reset();
        for (const [feature, score] of Object.entries(monitor.scores()))
          this.set({ feature, model_version: monitor.version ?? '' }, score);
      },
    });
  }

  /** A new model is served: its reference, and a window that starts empty. */
  useModel(version: string, reference: InputProfile | undefined): void {
    this.version = version;
    this.reference = reference;
    this.filled = 0;
    this.next = 0;
  }

  observe(predictions: ObservedPrediction[]): void {
    if (!this.version) return;
    const threshold = this.config.lowConfidenceBelow;
    const reference = this.reference;
    for (const { statistics, digit, confidence } of predictions) {
      const slot = this.next;
      this.digits[slot] = digit;
      this.lowConfidence[slot] = confidence < threshold ? 1 : 0;
      if (reference)
        for (const name of FEATURE_NAMES)
          this.bins[name][slot] = featureBin(
            reference.features[name].edges,
            featureValue(statistics, name),
          );
      this.next = (slot + 1) % this.size;
      this.filled = Math.min(this.filled + 1, this.size);
      this.confidence.observe({ model_version: this.version }, confidence);
    }
  }

  /** The drift scores of the window: `digit` and each feature; none before MIN_DRIFT_SAMPLES. */
  scores(): Record<string, number> {
    const reference = this.reference;
    if (!reference || this.filled < Math.min(MIN_DRIFT_SAMPLES, this.size)) return {};
    const scores: Record<string, number> = {
      digit: populationStabilityIndex(reference.labels, this.counts(this.digits, NUM_CLASSES)),
    };
    for (const name of FEATURE_NAMES) {
      const expected = reference.features[name]?.counts;
      if (expected)
        scores[name] = populationStabilityIndex(
          expected,
          this.counts(this.bins[name], expected.length),
        );
    }
    return scores;
  }

  private counts(values: Uint8Array, bins: number): number[] {
    const counts = new Array<number>(bins).fill(0);
    for (let i = 0; i < this.filled; i++) counts[values[i]]++;
    return counts;
  }

  private share(flags: Uint8Array): number {
    let sum = 0;
    for (let i = 0; i < this.filled; i++) sum += flags[i];
    return sum / this.filled;
  }
}
