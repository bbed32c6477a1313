export {
  accuracy,
  argmaxRows,
  confusionMatrix,
  crossEntropy,
  perClassReport,
  type ClassReport,
} from './lib/classification';
export { oneVsRestRoc, rocCurve, thinCurve, type MulticlassRoc, type RocCurve } from './lib/roc';
export {
  confusionMatrixChart,
  learningCurveChart,
  rocChart,
  sweepChart,
  type EpochPoint,
  type SweepPoint,
} from './lib/plots/charts';
export { renderPng, renderSvg } from './lib/plots/render-png';
export { populationStabilityIndex } from './lib/population-stability';
