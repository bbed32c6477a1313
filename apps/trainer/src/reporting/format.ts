import type { EpochMetrics } from '@mnist-mlops/model';

export function formatInteger(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatPercent(value: number, digits = 2): string {
  return `${(value * 100).toFixed(digits)}%`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return minutes < 60
    ? `${minutes}m${String(rest).padStart(2, '0')}s`
    : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

export function formatEpochLine(m: EpochMetrics, epochs: number): string {
  const validation =
    m.valLoss === undefined
      ? ''
      : ` | val_loss ${m.valLoss.toFixed(4)} | val_acc ${(m.valAccuracy ?? 0).toFixed(4)}`;
  return (
    `Epoch ${String(m.epoch).padStart(String(epochs).length)}/${epochs}` +
    ` | loss ${m.loss.toFixed(4)} | acc ${m.accuracy.toFixed(4)}${validation}` +
    ` | ${formatInteger(m.imagesPerSecond)} img/s | ${formatDuration(m.seconds)}`
  );
}
