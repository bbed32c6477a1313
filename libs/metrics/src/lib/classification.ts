/**
 * Classification metrics from predicted class probabilities (a flat `count * classes` array,
 * row-major) and true labels.
 */

export function argmaxRows(probabilities: ArrayLike<number>, classes: number): Uint8Array {
  const count = probabilities.length / classes;
  if (!Number.isInteger(count))
    throw new RangeError(
      `${probabilities.length} probabilities do not divide into ${classes} classes`,
    );
  const out = new Uint8Array(count);
  for (let row = 0; row < count; row++) {
    let best = 0;
    for (let c = 1; c < classes; c++) {
      if (probabilities[row * classes + c] > probabilities[row * classes + best]) best = c;
    }
    out[row] = best;
  }
  return out;
}

function checkLengths(labels: ArrayLike<number>, predictions: ArrayLike<number>): void {
  if (labels.length !== predictions.length) {
    throw new RangeError(`${labels.length} labels but ${predictions.length} predictions`);
  }
  if (labels.length === 0) throw new RangeError('no examples to score');
}

export function accuracy(labels: ArrayLike<number>, predictions: ArrayLike<number>): number {
  checkLengths(labels, predictions);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === predictions[i]) correct++;
  return correct / labels.length;
}

/** Mean categorical cross-entropy, with probabilities clipped as Keras does (1e-7). */
export function crossEntropy(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes: number,
): number {
  if (probabilities.length !== labels.length * classes) {
    throw new RangeError(
      `${probabilities.length} probabilities for ${labels.length} labels of ${classes} classes`,
    );
  }
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - 1e-7, Math.max(1e-7, probabilities[i * classes + labels[i]]));
    total -= Math.log(p);
  }
  return total / labels.length;
}

/** `matrix[actual][predicted]` counts. */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  classes: number,
): number[][] {
  checkLengths(labels, predictions);
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) matrix[labels[i]][predictions[i]]++;
  return matrix;
}

export interface ClassReport {
  label: number;
  precision: number;
  recall: number;
  f1: number;
  /** Examples whose true label is this class. */
  support: number;
}

/** Precision, recall and F1 per class; 0 where a ratio has no denominator (as scikit-learn's zero_division=0). */
export function perClassReport(matrix: number[][]): ClassReport[] {
  return matrix.map((row, label) => {
    const truePositives = row[label];
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((sum, r) => sum + r[label], 0);
    const precision = predicted ? truePositives / predicted : 0;
    const recall = support ? truePositives / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
}
