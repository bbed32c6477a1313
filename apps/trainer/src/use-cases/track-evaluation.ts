import { NUM_CLASSES } from '@mnist-mlops/data';
import {
  confusionMatrixChart,
  learningCurveChart,
  oneVsRestRoc,
  renderPng,
  rocChart,
} from '@mnist-mlops/metrics';
import type { EpochMetrics } from '@mnist-mlops/model';
import type { ActiveRun, LoggedModel } from '@mnist-mlops/tracking';
import type { Evaluation } from './evaluate';

const DIGITS = Array.from({ length: NUM_CLASSES }, (_, d) => `digit ${d}`);

/**
 * Logs a test-set evaluation the way the original lab's users see it in MLflow: test accuracy
 * and loss, AUC per class (one-vs-rest) with macro and micro averages, precision/recall/F1 per
 * digit, and pictures: a ROC curve per digit under plots/, the confusion matrix, and the
 * learning curve when there is a training history.
 */
export async function trackEvaluation(
  run: ActiveRun,
  evaluation: Evaluation,
  history?: EpochMetrics[],
  /** The logged model the test metrics describe (linked to it in MLflow), when there is one. */
  model?: LoggedModel,
): Promise<{ macroAuc: number; microAuc: number; plots: string[] }> {
  const roc = oneVsRestRoc(evaluation.probabilities, evaluation.labels, NUM_CLASSES);
  const metrics: Record<string, number> = {
    test_accuracy: evaluation.accuracy,
    test_loss: evaluation.loss,
    test_auc_macro: roc.macroAuc,
    test_auc_micro: roc.microAuc,
  };
  roc.perClass.forEach((curve, digit) => (metrics[`test_auc_digit_${digit}`] = curve.auc));
  for (const c of evaluation.perClass) {
    metrics[`test_precision_digit_${c.label}`] = c.precision;
    metrics[`test_recall_digit_${c.label}`] = c.recall;
    metrics[`test_f1_digit_${c.label}`] = c.f1;
  }
  if (model) await run.logModelMetrics(model, metrics);
  else await run.logMetrics(metrics);

  const plots: string[] = [];
  const logPlot = async (path: string, png: Promise<Buffer>) => {
    await run.logArtifact(path, await png);
    plots.push(path);
  };
  for (const [digit, curve] of roc.perClass.entries())
    await logPlot(`plots/roc_digit_${digit}.png`, renderPng(rocChart(curve, DIGITS[digit])));
  await logPlot(
    'plots/confusion_matrix.png',
    renderPng(
      confusionMatrixChart(
        evaluation.confusion,
        DIGITS.map((_, d) => String(d)),
      ),
    ),
  );
  if (history?.length)
    await logPlot('plots/learning_curve.png', renderPng(learningCurveChart(history)));

  await run.logArtifact(
    'evaluation/classification_report.json',
    `${JSON.stringify({ accuracy: evaluation.accuracy, loss: evaluation.loss, auc: { macro: roc.macroAuc, micro: roc.microAuc, perClass: roc.perClass.map((c) => c.auc) }, perClass: evaluation.perClass, confusionMatrix: evaluation.confusion }, null, 2)}\n`,
  );
  return { macroAuc: roc.macroAuc, microAuc: roc.microAuc, plots };
}

/** Per-epoch metrics under MLflow's usual Keras names, stepped by epoch. */
export function epochMetrics(m: EpochMetrics): Record<string, number | undefined> {
  return {
    loss: m.loss,
    accuracy: m.accuracy,
    val_loss: m.valLoss,
    val_accuracy: m.valAccuracy,
    images_per_second: m.imagesPerSecond,
    epoch_seconds: m.seconds,
  };
}
