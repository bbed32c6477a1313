import { PNG } from 'pngjs';
import { rocCurve } from '../roc';
import { confusionMatrixChart, learningCurveChart, rocChart } from './charts';
import { renderPng, renderSvg } from './render-png';

function decode(png: Buffer) {
  return PNG.sync.read(png);
}

/** Share of pixels that are not white: a blank render has none. */
function inkShare(image: PNG): number {
  let ink = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    if (image.data[i] < 200 || image.data[i + 1] < 200 || image.data[i + 2] < 200) ink++;
  }
  return ink / (image.width * image.height);
}

describe('charts', () => {
  const curve = rocCurve([0.9, 0.8, 0.7, 0.4, 0.3, 0.1], [1, 1, 0, 1, 0, 0]);

  it('draws a ROC curve with axes, labels, the diagonal and the AUC in the legend', async () => {
    const svg = await renderSvg(rocChart(curve, 'digit 3'));
    expect(svg).toContain('False positive rate');
    expect(svg).toContain('True positive rate');
    expect(svg).toContain('digit 3 (AUC = 0.8889)');
    expect(svg).toContain('chance (AUC = 0.5)');
    expect(svg).toContain('stroke-dasharray');
    const png = decode(await renderPng(rocChart(curve, 'digit 3')));
    expect(png.width).toBeGreaterThan(800);
    expect(inkShare(png)).toBeGreaterThan(0.01);
  });

  it('draws the confusion matrix with every count', async () => {
    const matrix = [
      [50, 2],
      [3, 45],
    ];
    const svg = await renderSvg(confusionMatrixChart(matrix, ['0', '1']));
    for (const count of ['50', '2', '3', '45', 'Predicted', 'Actual'])
      expect(svg).toContain(`>${count}<`);
    expect(
      inkShare(decode(await renderPng(confusionMatrixChart(matrix, ['0', '1'])))),
    ).toBeGreaterThan(0.1);
  });

  it('draws the learning curve for training and validation', async () => {
    const history = [1, 2, 3].map((epoch) => ({
      epoch,
      loss: 1 / epoch,
      accuracy: 1 - 0.1 / epoch,
      valLoss: 1.1 / epoch,
      valAccuracy: 1 - 0.12 / epoch,
    }));
    const svg = await renderSvg(learningCurveChart(history));
    for (const text of ['loss', 'accuracy', 'training', 'validation', 'Epoch'])
      expect(svg).toContain(text);
    expect(decode(await renderPng(learningCurveChart(history))).width).toBeGreaterThan(1000);
  });
});
