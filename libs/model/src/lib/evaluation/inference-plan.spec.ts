import * as tf from '@tensorflow/tfjs';
import { randomiseWeights, SMALL_CNN } from '../../test-support/small-cnn';
import { buildCnn } from '../architecture/cnn';
import { inferencePlan } from './inference-plan';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The plan's answers match model.predict's; returns whether the plan left the work to it. */
function expectSameAnswers(model: tf.LayersModel): boolean {
  const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 1);
  const expected = (model.predict(x) as tf.Tensor).arraySync() as number[][];
  const predict = jest.spyOn(model, 'predict');
  const actual = inferencePlan(model)(x).arraySync() as number[][];
  const delegated = predict.mock.calls.length > 0;
  predict.mockRestore();
  expect(actual.length).toBe(3);
  actual.forEach((row, i) => row.forEach((p, d) => expect(p).toBeCloseTo(expected[i][d], 5)));
  return delegated;
}

describe('inference plan', () => {
  it('answers as model.predict for the default CNN', () => {
    const model = buildCnn(SMALL_CNN);
    randomiseWeights(model);
    expect(expectSameAnswers(model)).toBe(false);
  });

  it('answers as model.predict with batch normalisation and without the hidden layer', () => {
    const model = buildCnn({ ...SMALL_CNN, batchNorm: true, denseUnits: 0 });
    randomiseWeights(model);
    expect(expectSameAnswers(model)).toBe(false);
  });

  it('leaves a model with a layer it does not know to tfjs-layers', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, activation: 'elu' }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    randomiseWeights(model);
    expect(expectSameAnswers(model)).toBe(true);
  });
});
