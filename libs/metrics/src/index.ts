export { accuracy, argmaxRows, confusionMatrix, crossEntropy, perClassReport, type ClassReport } from './lib/classification';
