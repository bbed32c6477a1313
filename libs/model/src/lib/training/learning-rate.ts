/**
 * Learning-rate schedules, as a function of the step: the rate Adam uses for that batch.
 * cosine: a linear warm-up from a tenth of the base rate, then a cosine decay to 0 at the last step.
 * one-cycle (Smith's 1cycle, as PyTorch's OneCycleLR with its defaults): from base/25 up to
 * 10 x base over the first 30% of the steps, then a cosine down to base/25e4.
 */
export const LEARNING_RATE_SCHEDULES = ['constant', 'cosine', 'one-cycle'] as const;

export interface LearningRateSchedule {
  kind: (typeof LEARNING_RATE_SCHEDULES)[number];
  baseRate: number;
  /** Steps of warm-up (cosine only). */
  warmupSteps: number;
}

export function learningRateAt(
  schedule: LearningRateSchedule,
  step: number,
  totalSteps: number,
): number {
  const { kind, baseRate, warmupSteps } = schedule;
  const cosine = (from: number, to: number, progress: number) =>
    to + ((from - to) * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, progress))))) / 2;
  switch (kind) {
    case 'constant':
      return baseRate;
    case 'cosine': {
      if (step < warmupSteps) return baseRate * (0.1 + (0.9 * step) / warmupSteps);
      return cosine(baseRate, 0, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
    }
    case 'one-cycle': {
      const peak = 10 * baseRate;
      const start = peak / 25;
      const rise = Math.max(1, Math.round(totalSteps * 0.3));
      if (step < rise) return cosine(start, peak, step / rise);
      return cosine(peak, start / 1e4, (step - rise) / Math.max(1, totalSteps - rise));
    }
  }
}
