/** A receiver operating characteristic curve with its area. */
export interface RocCurve {
  /** False positive rate at each threshold, from 0 up to 1. */
  fpr: number[];
  /** True positive rate at each threshold. */
  tpr: number[];
  /** Score thresholds, highest first; the first is +Infinity (nothing predicted positive). */
  thresholds: number[];
  auc: number;
}

/**
 * The exact ROC curve of scores against binary truth: one point per distinct score, so tied
 * scores move both rates at once (a diagonal step) and the trapezoidal area equals the
 * Mann-Whitney probability that a positive outranks a negative, ties counting a half.
 * Matches scikit-learn's `roc_curve(..., drop_intermediate=False)` and `roc_auc_score`.
 */
export function rocCurve(
  scores: ArrayLike<number>,
  positive: ArrayLike<boolean | number>,
): RocCurve {
  const n = scores.length;
  if (positive.length !== n) throw new RangeError(`${n} scores but ${positive.length} labels`);
  let positives = 0;
  for (let i = 0; i < n; i++) if (positive[i]) positives++;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    throw new RangeError(
      `ROC needs both classes; got ${positives} positive and ${negatives} negative examples`,
    );
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Number.POSITIVE_INFINITY];
  let truePositives = 0;
  let falsePositives = 0;
  let auc = 0;
  for (let i = 0; i < n;) {
    const threshold = scores[order[i]];
    // Take every example tied at this score together.
    for (; i < n && scores[order[i]] === threshold; i++) {
      if (positive[order[i]]) truePositives++;
      else falsePositives++;
    }
    const x = falsePositives / negatives;
    const y = truePositives / positives;
    auc += ((x - fpr[fpr.length - 1]) * (y + tpr[tpr.length - 1])) / 2;
    fpr.push(x);
    tpr.push(y);
    thresholds.push(threshold);
  }
  return { fpr, tpr, thresholds, auc };
}

export interface MulticlassRoc {
  /** One-vs-rest curve per class. */
  perClass: RocCurve[];
  /** Unweighted mean of the per-class AUCs. */
  macroAuc: number;
  /** AUC of all (example, class) scores pooled against the one-hot truth. */
  microAuc: number;
}

/** One-vs-rest ROC for every class, from flat `count * classes` probabilities. */
export function oneVsRestRoc(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes: number,
): MulticlassRoc {
  const count = labels.length;
  if (probabilities.length !== count * classes) {
    throw new RangeError(
      `${probabilities.length} probabilities for ${count} labels of ${classes} classes`,
    );
  }
  const perClass: RocCurve[] = [];
  const column = new Float64Array(count);
  const truth = new Uint8Array(count);
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < count; i++) {
      column[i] = probabilities[i * classes + c];
      truth[i] = labels[i] === c ? 1 : 0;
    }
    perClass.push(rocCurve(column, truth));
  }
  const pooledTruth = new Uint8Array(count * classes);
  for (let i = 0; i < count; i++) pooledTruth[i * classes + labels[i]] = 1;
  return {
    perClass,
    macroAuc: perClass.reduce((sum, curve) => sum + curve.auc, 0) / classes,
    microAuc: rocCurve(probabilities, pooledTruth).auc,
  };
}

/** At most `points` points of a curve for plotting, always keeping the ends and the corners that matter. */
export function thinCurve(curve: RocCurve, points = 400): { fpr: number; tpr: number }[] {
  const all = curve.fpr.map((fpr, i) => ({ fpr, tpr: curve.tpr[i] }));
  if (all.length <= points) return all;
  const step = (all.length - 1) / (points - 1);
  const kept = Array.from({ length: points }, (_, i) => all[Math.round(i * step)]);
  return kept;
}
