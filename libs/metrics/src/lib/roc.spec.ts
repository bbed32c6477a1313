import { oneVsRestRoc, rocCurve, thinCurve } from './roc';

describe('rocCurve', () => {
  it("matches scikit-learn's documented example", () => {
    // sklearn.metrics.roc_curve([1, 1, 2, 2], [0.1, 0.4, 0.35, 0.8], pos_label=2, drop_intermediate=False)
    const curve = rocCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect(curve.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(curve.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(curve.thresholds).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
    expect(curve.auc).toBe(0.75);
  });

  it('treats tied scores as one step and counts ties as a half', () => {
    expect(rocCurve([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]).auc).toBe(0.5);
    const tied = rocCurve([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0]);
    expect(tied.fpr).toEqual([0, 0, 0.5, 1]);
    expect(tied.tpr).toEqual([0, 0.5, 1, 1]);
    // P(pos > neg) + 0.5 P(tie) = (2 + 1 + 0.5) / 4
    expect(tied.auc).toBe(0.875);
  });

  it('equals the Mann-Whitney statistic on random data with many ties', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const scores = Array.from({ length: 500 }, () => Math.round(random() * 20) / 20);
    const truth = scores.map((s) => random() < s);
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < scores.length; i++) {
      for (let j = 0; j < scores.length; j++) {
        if (truth[i] && !truth[j]) {
          pairs++;
          wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
        }
      }
    }
    expect(rocCurve(scores, truth).auc).toBeCloseTo(wins / pairs, 12);
  });

  it('is 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(rocCurve([0.9, 0.8, 0.2], [1, 1, 0]).auc).toBe(1);
    expect(rocCurve([0.1, 0.2, 0.8], [1, 1, 0]).auc).toBe(0);
  });

  it('refuses data with a single class', () => {
    expect(() => rocCurve([0.1, 0.2], [1, 1])).toThrow(
      'ROC needs both classes; got 2 positive and 0 negative examples',
    );
  });
});

describe('oneVsRestRoc', () => {
  it('computes per-class, macro and micro AUC (checked against scikit-learn)', () => {
    // y = [0, 1, 2, 2, 1, 0]; scores below. scikit-learn:
    // roc_auc_score(label_binarize(y, classes=[0,1,2]), p, average=None) -> [1.0, 1.0, 0.875]
    // average='macro' -> 0.9583333, average='micro' -> 0.9583333 (scikit-learn 1.x)
    const p = [
      [0.8, 0.1, 0.1],
      [0.2, 0.5, 0.3],
      [0.1, 0.3, 0.6],
      [0.3, 0.4, 0.3],
      [0.1, 0.6, 0.3],
      [0.7, 0.2, 0.1],
    ];
    const roc = oneVsRestRoc(p.flat(), [0, 1, 2, 2, 1, 0], 3);
    expect(roc.perClass.map((c) => c.auc)).toEqual([1, 1, 0.875]);
    expect(roc.macroAuc).toBeCloseTo(0.9583333, 6);
    expect(roc.microAuc).toBeCloseTo(0.9583333, 6);
  });

  it('agrees with scikit-learn on a 4-class case with ties', () => {
    // n=40; y[i] = (i*7) % 4; raw[i][c] = (((i*(c+3)*13) % 17) + (c == y[i] ? 5 : 0)) / 30, rows normalised.
    // scikit-learn: per class [0.85166667, 0.77, 0.80666667, 0.80666667], macro 0.80875, micro 0.81520833
    const labels = Array.from({ length: 40 }, (_, i) => (i * 7) % 4);
    const p = labels.flatMap((y, i) => {
      const raw = [0, 1, 2, 3].map((c) => (((i * (c + 3) * 13) % 17) + (c === y ? 5 : 0)) / 30);
      const total = raw.reduce((a, b) => a + b, 0);
      return raw.map((v) => v / total);
    });
    const roc = oneVsRestRoc(p, labels, 4);
    [0.85166667, 0.77, 0.80666667, 0.80666667].forEach((auc, c) =>
      expect(roc.perClass[c].auc).toBeCloseTo(auc, 7),
    );
    expect(roc.macroAuc).toBeCloseTo(0.80875, 10);
    expect(roc.microAuc).toBeCloseTo(0.8152083333333334, 10);
  });

  it('thins long curves for plotting but keeps both ends', () => {
    const curve = rocCurve(
      Array.from({ length: 2000 }, (_, i) => i),
      Array.from({ length: 2000 }, (_, i) => i % 3 === 0),
    );
    const thin = thinCurve(curve, 100);
    expect(thin).toHaveLength(100);
    expect(thin[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(thin[99]).toEqual({ fpr: 1, tpr: 1 });
  });
});
