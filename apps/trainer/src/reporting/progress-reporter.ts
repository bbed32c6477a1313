import { SingleBar } from 'cli-progress';
import type { BatchProgress, EpochMetrics, TrainingListener } from '@mnist-mlops/model';
import { formatDuration, formatEpochLine, formatInteger } from './format';

/**
 * Shows training progress: on a terminal, a bar per epoch with batches, loss, accuracy,
 * images per second and time left; elsewhere (CI, pipes, logs) one line per epoch.
 */
export class ProgressReporter implements TrainingListener {
  private bar?: SingleBar;
  private epochs = 0;

  constructor(
    private readonly output: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly interactive: boolean,
  ) {}

  onTrainBegin(info: {
    epochs: number;
    batchesPerEpoch: number;
    trainImages: number;
    validationImages: number;
  }): void {
    this.epochs = info.epochs;
    this.output.write(
      `Training on ${formatInteger(info.trainImages)} images (${formatInteger(info.validationImages)} held out for validation), ` +
        `${info.epochs} epochs of ${info.batchesPerEpoch} batches\n`,
    );
  }

  onBatchEnd(progress: BatchProgress): void {
    if (!this.interactive) return;
    if (!this.bar) {
      this.bar = new SingleBar({
        stream: this.output,
        format: `Epoch ${progress.epoch}/${this.epochs} |{bar}| {value}/{total} batches | loss {loss} | acc {acc} | {speed} img/s | {left} left`,
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
        fps: 10,
      });
      this.bar.start(progress.batches, 0, this.payload(progress));
    }
    this.bar.update(progress.batch, this.payload(progress));
  }

  onEpochEnd(metrics: EpochMetrics): void {
    this.bar?.stop();
    this.bar = undefined;
    this.output.write(`${formatEpochLine(metrics, this.epochs)}\n`);
  }

  private payload(progress: BatchProgress) {
    const perSecond = progress.images / Math.max(progress.seconds, 1e-9);
    const remaining = (progress.batches - progress.batch) * (progress.seconds / progress.batch);
    return {
      loss: progress.loss.toFixed(4),
      acc: progress.accuracy.toFixed(4),
      speed: formatInteger(perSecond),
      left: formatDuration(remaining),
    };
  }
}
