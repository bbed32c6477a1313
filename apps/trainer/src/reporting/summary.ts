import Table from 'cli-table3';
import type { EpochMetrics } from '@mnist-mlops/model';
import type { Evaluation } from '../use-cases/evaluate';
import { formatDuration, formatInteger, formatPercent } from './format';

export function epochTable(history: EpochMetrics[]): string {
  const table = new Table({
    head: ['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'img/s', 'time'],
    style: { head: [], border: [], compact: true },
  });
  for (const m of history) {
    table.push([
      m.epoch,
      m.loss.toFixed(4),
      m.accuracy.toFixed(4),
      m.valLoss?.toFixed(4) ?? '-',
      m.valAccuracy?.toFixed(4) ?? '-',
      formatInteger(m.imagesPerSecond),
      formatDuration(m.seconds),
    ]);
  }
  return table.toString();
}

export function perClassTable(evaluation: Evaluation): string {
  const table = new Table({
    head: ['digit', 'precision', 'recall', 'f1', 'support'],
    style: { head: [], border: [], compact: true },
  });
  for (const c of evaluation.perClass) {
    table.push([
      c.label,
      c.precision.toFixed(4),
      c.recall.toFixed(4),
      c.f1.toFixed(4),
      formatInteger(c.support),
    ]);
  }
  return table.toString();
}

export function evaluationLine(evaluation: Evaluation): string {
  return (
    `Test accuracy ${formatPercent(evaluation.accuracy)} (${formatInteger(evaluation.correct)} of ${formatInteger(evaluation.count)} correct), ` +
    `test loss ${evaluation.loss.toFixed(4)}`
  );
}
