import { hysteresis, inkLevels, otsuThreshold, quantiles } from './threshold';

describe('thresholds', () => {
  it('gives quantiles of values in [0, 1] as sorting does, to the histogram bin', () => {
    const values = Float32Array.from({ length: 5001 }, (_, i) => ((i * 7919) % 5001) / 5001);
    const sorted = [...values].sort((a, b) => a - b);
    const [q1, q5, q9] = quantiles(values, [0.1, 0.5, 0.9]);
    expect(q1).toBeCloseTo(sorted[500], 3);
    expect(q5).toBeCloseTo(sorted[2500], 3);
    expect(q9).toBeCloseTo(sorted[4500], 3);
  });

  it("splits two populations at Otsu's threshold", () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => (i < 700 ? 0.2 : 0.8));
    const t = otsuThreshold(values);
    expect(t).toBeGreaterThan(0.2);
    expect(t).toBeLessThan(0.8);
  });

  it('reads paper, noise and stroke levels from an ink map', () => {
    let s = 7;
    const noise = () => {
      s = (s * 16807) % 2147483647;
      return s / 2147483647 - 0.5;
    };
    const ink = Float32Array.from({ length: 100_000 }, (_, i) =>
      i % 100 < 2 ? 0.9 : 0.05 + 0.02 * noise(),
    );
    const levels = inkLevels(ink);
    expect(levels.paper).toBeCloseTo(0.05, 2);
    expect(levels.noise).toBeGreaterThan(0);
    expect(levels.noise).toBeLessThan(0.02);
    expect(levels.stroke).toBeCloseTo(0.9, 2);
  });

  it('keeps faint pixels joined to a strong stroke and drops faint ones on their own', () => {
    const width = 10;
    const data = new Float32Array(100);
    data[11] = 0.9; // strong
    data[12] = 0.3; // faint, touching it
    data[13] = 0.3; // faint, touching that
    data[88] = 0.3; // faint, alone
    const mask = hysteresis({ width, height: 10, data }, 0.2, 0.5);
    expect([...mask.keys()].filter((i) => mask[i])).toEqual([11, 12, 13]);
  });
});
