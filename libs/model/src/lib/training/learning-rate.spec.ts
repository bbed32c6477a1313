import { learningRateAt } from './learning-rate';

describe('learning-rate schedules', () => {
  const total = 1000;
  const at = (kind: 'constant' | 'cosine' | 'one-cycle', step: number, warmupSteps = 100) =>
    learningRateAt({ kind, baseRate: 0.01, warmupSteps }, step, total);

  it('constant keeps the base rate', () => {
    expect([0, 500, 999].map((s) => at('constant', s))).toEqual([0.01, 0.01, 0.01]);
  });

  it('cosine warms up linearly from a tenth, peaks at the base rate, and decays to 0', () => {
    expect(at('cosine', 0)).toBeCloseTo(0.001, 10);
    expect(at('cosine', 50)).toBeCloseTo(0.0055, 10);
    expect(at('cosine', 100)).toBeCloseTo(0.01, 10);
    expect(at('cosine', 550)).toBeCloseTo(0.005, 10);
    expect(at('cosine', total)).toBeCloseTo(0, 10);
    for (let s = 101; s < total; s++)
      expect(at('cosine', s)).toBeLessThanOrEqual(at('cosine', s - 1));
  });

  it('one-cycle rises to ten times the base rate over 30% of the steps, then falls far below it', () => {
    expect(at('one-cycle', 0)).toBeCloseTo(0.004, 10);
    expect(at('one-cycle', 300)).toBeCloseTo(0.1, 10);
    expect(at('one-cycle', total)).toBeLessThan(1e-6);
  });
});
