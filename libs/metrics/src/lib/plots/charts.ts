import type { TopLevelSpec } from 'vega-lite';
import { thinCurve, type RocCurve } from '../roc';

/** One class's ROC curve against the chance diagonal, the AUC in the legend. */
export function rocChart(curve: RocCurve, className: string): TopLevelSpec {
  const label = `${className} (AUC = ${curve.auc.toFixed(4)})`;
  const axis = (title: string) => ({
    type: 'quantitative' as const,
    title,
    scale: { domain: [0, 1] },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `ROC curve: ${className} vs rest`,
    width: 420,
    height: 420,
    layer: [
      {
        data: {
          values: [
            { fpr: 0, tpr: 0, series: 'chance (AUC = 0.5)' },
            { fpr: 1, tpr: 1, series: 'chance (AUC = 0.5)' },
          ],
        },
        mark: { type: 'line', strokeDash: [6, 4], color: '#888888' },
        encoding: {
          x: { field: 'fpr', ...axis('False positive rate') },
          y: { field: 'tpr', ...axis('True positive rate') },
        },
      },
      {
        data: { values: thinCurve(curve).map((point) => ({ ...point, series: label })) },
        // Straight segments: a tied score moves both rates at once, a diagonal step.
        mark: { type: 'line', strokeWidth: 2.5 },
        encoding: {
          x: { field: 'fpr', ...axis('False positive rate') },
          y: { field: 'tpr', ...axis('True positive rate') },
          color: {
            field: 'series',
            type: 'nominal',
            scale: { domain: [label, 'chance (AUC = 0.5)'], range: ['#1f77b4', '#888888'] },
            legend: { title: null, orient: 'bottom-right', fillColor: 'white', padding: 6 },
          },
        },
      },
    ],
  };
}

/** Counts of actual vs predicted digits, darker for more, with the count in each cell. */
export function confusionMatrixChart(matrix: number[][], classNames: string[]): TopLevelSpec {
  const values = matrix.flatMap((row, actual) =>
    row.map((count, predicted) => ({
      actual: classNames[actual],
      predicted: classNames[predicted],
      count,
    })),
  );
  const max = Math.max(...values.map((v) => v.count));
  const order = { sort: classNames };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Confusion matrix (test set)',
    data: { values },
    width: 420,
    height: 420,
    config: { axis: { grid: false } },
    encoding: {
      x: {
        field: 'predicted',
        type: 'ordinal',
        title: 'Predicted',
        ...order,
        axis: { labelAngle: 0 },
      },
      y: { field: 'actual', type: 'ordinal', title: 'Actual', ...order },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: {
            field: 'count',
            type: 'quantitative',
            scale: { type: 'sqrt', scheme: 'blues' },
            legend: null,
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: {
            condition: { test: `datum.count > ${max / 3}`, value: 'white' },
            value: 'black',
          },
        },
      },
    ],
  };
}

export interface EpochPoint {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
}

/** Loss and accuracy by epoch for training and validation, side by side. */
export function learningCurveChart(history: EpochPoint[]): TopLevelSpec {
  const rows = history.flatMap((m) => [
    { epoch: m.epoch, metric: 'loss', split: 'training', value: m.loss },
    { epoch: m.epoch, metric: 'accuracy', split: 'training', value: m.accuracy },
    ...(m.valLoss === undefined
      ? []
      : [{ epoch: m.epoch, metric: 'loss', split: 'validation', value: m.valLoss }]),
    ...(m.valAccuracy === undefined
      ? []
      : [{ epoch: m.epoch, metric: 'accuracy', split: 'validation', value: m.valAccuracy }]),
  ]);
  const panel = (metric: string) => ({
    title: metric,
    width: 360,
    height: 280,
    transform: [{ filter: `datum.metric === '${metric}'` }],
    mark: { type: 'line' as const, point: true },
    encoding: {
      x: {
        field: 'epoch',
        type: 'quantitative' as const,
        title: 'Epoch',
        axis: { tickMinStep: 1 },
      },
      y: { field: 'value', type: 'quantitative' as const, title: metric, scale: { zero: false } },
      color: {
        field: 'split',
        type: 'nominal' as const,
        title: null,
        legend: { orient: 'top' as const },
      },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Learning curve',
    data: { values: rows },
    hconcat: [panel('loss'), panel('accuracy')],
  };
}

/** One finished trial of a sweep: its value of each varied setting and the metric it reached. */
export interface SweepPoint {
  settings: Record<string, string>;
  metric: number;
  best: boolean;
}

/**
 * A sweep's metric against each varied setting, one panel per setting, the best trial marked:
 * numbers on a quantitative axis (log when they span a decade or more), anything else by name.
 */
export function sweepChart(points: SweepPoint[], varied: string[], metric: string): TopLevelSpec {
  const panel = (setting: string) => {
    const values = points.map((p) => Number(p.settings[setting]));
    const numeric = values.every((v) => Number.isFinite(v));
    const positive = values.filter((v) => v > 0);
    const logScale =
      numeric &&
      positive.length === values.length &&
      Math.max(...values) / Math.min(...values) >= 10;
    return {
      title: setting,
      width: 300,
      height: 260,
      transform: [
        { calculate: numeric ? `toNumber(datum['${setting}'])` : `datum['${setting}']`, as: 'x' },
      ],
      mark: { type: 'point' as const, filled: true, size: 90 },
      encoding: {
        x: {
          field: 'x',
          type: numeric ? ('quantitative' as const) : ('nominal' as const),
          title: setting,
          ...(numeric ? { scale: logScale ? { type: 'log' as const } : { zero: false } } : {}),
        },
        y: {
          field: 'metric',
          type: 'quantitative' as const,
          title: metric,
          scale: { zero: false },
        },
        color: {
          field: 'trial',
          type: 'nominal' as const,
          title: null,
          scale: { domain: ['best', 'other'], range: ['#d62728', '#1f77b4'] },
          legend: { orient: 'top' as const },
        },
      },
    };
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `${metric} by setting`,
    data: {
      values: points.map((p) => ({
        ...p.settings,
        metric: p.metric,
        trial: p.best ? 'best' : 'other',
      })),
    },
    hconcat: varied.map(panel),
  };
}
