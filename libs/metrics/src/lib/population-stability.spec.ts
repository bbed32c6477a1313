import fc from 'fast-check';
import { populationStabilityIndex } from './population-stability';

describe('populationStabilityIndex', () => {
  it('is 0 for the same distribution, whatever the counts', () => {
    expect(populationStabilityIndex([10, 20, 70], [1, 2, 7])).toBeCloseTo(0, 12);
  });

  it('matches the index worked by hand', () => {
    // shares e = (0.5, 0.5), a = (0.8, 0.2): 0.3 ln 1.6 + (-0.3) ln 0.4
    expect(populationStabilityIndex([50, 50], [80, 20])).toBeCloseTo(
      0.3 * Math.log(1.6) - 0.3 * Math.log(0.4),
      12,
    );
  });

  it('stays finite when a bin is empty on one side, and grows with the shift', () => {
    const small = populationStabilityIndex([100, 0], [95, 5]);
    const large = populationStabilityIndex([100, 0], [5, 95]);
    expect(Number.isFinite(large)).toBe(true);
    expect(large).toBeGreaterThan(small);
    expect(large).toBeGreaterThan(0.25);
  });

  it('is never negative and is symmetric in its arguments', () => {
    const counts = fc.array(fc.nat(1000), { minLength: 2, maxLength: 12 });
    fc.assert(
      fc.property(counts, counts, (a, b) => {
        const n = Math.min(a.length, b.length);
        const [x, y] = [a.slice(0, n), b.slice(0, n)];
        if (x.every((v) => v === 0) || y.every((v) => v === 0)) return;
        const psi = populationStabilityIndex(x, y);
        expect(psi).toBeGreaterThanOrEqual(-1e-12);
        expect(psi).toBeCloseTo(populationStabilityIndex(y, x), 9);
      }),
    );
  });

  it('refuses bins that do not match, and says so', () => {
    expect(() => populationStabilityIndex([1, 2], [1, 2, 3])).toThrow(/2 bins and actual 3/);
  });
});
