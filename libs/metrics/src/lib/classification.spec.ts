import {
  accuracy,
  argmaxRows,
  confusionMatrix,
  crossEntropy,
  perClassReport,
} from './classification';

describe('classification metrics', () => {
  const probabilities = [0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4, 0.5, 0.4, 0.1];
  const labels = [0, 1, 1, 0];

  it('takes the most probable class per row, the first on ties', () => {
    expect([...argmaxRows(probabilities, 3)]).toEqual([0, 1, 2, 0]);
    expect([...argmaxRows([0.5, 0.5], 2)]).toEqual([0]);
    expect(() => argmaxRows([1, 2, 3], 2)).toThrow('3 probabilities do not divide into 2 classes');
  });

  it('computes accuracy and refuses mismatched or empty inputs', () => {
    expect(accuracy(labels, [0, 1, 2, 0])).toBe(0.75);
    expect(() => accuracy([1], [1, 2])).toThrow('1 labels but 2 predictions');
    expect(() => accuracy([], [])).toThrow('no examples to score');
  });

  it('computes cross-entropy like Keras', () => {
    // -(ln 0.7 + ln 0.8 + ln 0.3 + ln 0.5) / 4
    expect(crossEntropy(probabilities, labels, 3)).toBeCloseTo(
      -(Math.log(0.7) + Math.log(0.8) + Math.log(0.3) + Math.log(0.5)) / 4,
      10,
    );
    expect(crossEntropy([0, 1], [0], 2)).toBeCloseTo(-Math.log(1e-7), 6);
  });

  it('builds the confusion matrix and the per-class report (checked by hand)', () => {
    const matrix = confusionMatrix([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 0, 1], 3);
    expect(matrix).toEqual([
      [1, 1, 0],
      [1, 2, 0],
      [0, 1, 0],
    ]);
    const report = perClassReport(matrix);
    expect(report[0]).toEqual({ label: 0, precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(report[1].precision).toBeCloseTo(0.5);
    expect(report[1].recall).toBeCloseTo(2 / 3);
    expect(report[1].f1).toBeCloseTo(4 / 7);
    expect(report[2]).toEqual({ label: 2, precision: 0, recall: 0, f1: 0, support: 1 });
  });
});
