import * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES, toTensors, type LabeledImages } from '@mnist-mlops/data';
import {
  accuracy,
  argmaxRows,
  confusionMatrix,
  crossEntropy,
  perClassReport,
  type ClassReport,
} from '@mnist-mlops/metrics';
import { predictProbabilities } from '@mnist-mlops/model';

export interface Evaluation {
  accuracy: number;
  loss: number;
  correct: number;
  count: number;
  confusion: number[][];
  perClass: ClassReport[];
  probabilities: Float32Array;
  labels: Uint8Array;
  seconds: number;
}

/** Scores a model on labeled images: accuracy, loss, confusion matrix, per-class report. */
export function evaluateModel(model: tf.LayersModel, data: LabeledImages): Evaluation {
  const start = performance.now();
  const { xs, ys } = toTensors(data);
  try {
    const probabilities = predictProbabilities(model, xs);
    const predictions = argmaxRows(probabilities, NUM_CLASSES);
    const confusion = confusionMatrix(data.labels, predictions, NUM_CLASSES);
    const score = accuracy(data.labels, predictions);
    return {
      accuracy: score,
      loss: crossEntropy(probabilities, data.labels, NUM_CLASSES),
      correct: Math.round(score * data.count),
      count: data.count,
      confusion,
      perClass: perClassReport(confusion),
      probabilities,
      labels: data.labels,
      seconds: (performance.now() - start) / 1000,
    };
  } finally {
    tf.dispose([xs, ys]);
  }
}
