import * as tf from '@tensorflow/tfjs';
import { inject, injectable } from 'tsyringe';
import type { TrainingConfig } from '@mnist-mlops/config';
import { loadMnist, resolveDatasetSource, splitValidation, toTensors } from '@mnist-mlops/data';
import { LOGGER, type Logger } from '@mnist-mlops/logging';
import {
  activateBackend,
  buildCnn,
  compileForTraining,
  nextVersionLocation,
  saveModel,
  trainModel,
  writeMetadata,
  type EpochMetrics,
  type ModelMetadata,
} from '@mnist-mlops/model';
import { BLOB_STORE, type BlobStore } from '@mnist-mlops/storage';
import { ProgressReporter } from '../reporting/progress-reporter';
import { epochTable, evaluationLine, perClassTable } from '../reporting/summary';
import { formatDuration } from '../reporting/format';
import { OUTPUT, TRAINING_CONFIG } from '../tokens';
import { evaluateModel, type Evaluation } from './evaluate';

export interface TrainingResult {
  backend: string;
  history: EpochMetrics[];
  evaluation: Evaluation;
  version: number;
  location: string;
  seconds: number;
}

/** `trainer:main`: train on MNIST, evaluate on the 10,000 test images, save a new model version. */
@injectable()
export class TrainAndValidate {
  constructor(
    @inject(TRAINING_CONFIG) private readonly config: TrainingConfig,
    @inject(BLOB_STORE) private readonly store: BlobStore,
    @inject(LOGGER) private readonly logger: Logger,
    @inject(OUTPUT) private readonly output: NodeJS.WritableStream & { isTTY?: boolean },
  ) {}

  async run(): Promise<TrainingResult> {
    const started = performance.now();
    const config = this.config;

    const backend = await activateBackend(config.tfjsBackend);
    for (const skip of backend.skipped) this.logger.info(`skipped backend ${skip.name}: ${skip.reason}`);
    if (config.tfjsBackend === 'auto' && backend.name !== 'tensorflow' && backend.name !== 'tensorflow-gpu') {
      this.logger.warn(`native TensorFlow is unavailable, training on ${backend.name}, which is several times slower; run \`npm run setup\` to build it`);
    }
    this.logger.info(`compute backend: ${backend.name} (${backend.description})`);

    const dataset = await loadMnist(resolveDatasetSource(config.dataSource, this.store), {
      trainLimit: config.trainLimit,
      testLimit: config.testLimit,
    });
    this.logger.info(`dataset: ${dataset.source}: ${dataset.train.count} training and ${dataset.test.count} test images`);

    const split = splitValidation(dataset.train, config.validationSplit, config.seed);
    const train = toTensors(split.train);
    const validation = split.validation.count > 0 ? toTensors(split.validation) : undefined;
    const model = buildCnn(config);
    compileForTraining(model, config.learningRate);
    this.logger.info(`model: ${model.layers.map((layer) => layer.getClassName()).join(' -> ')}, ${model.countParams().toLocaleString('en-US')} parameters`);

    try {
      const reporter = new ProgressReporter(this.output, config.progress && this.output.isTTY === true);
      const history = await trainModel(model, train, validation, config, reporter);

      const evaluation = evaluateModel(model, dataset.test);
      const { version, location } = await nextVersionLocation(this.store, config.outputDir, config.modelName);
      await saveModel(model, this.store, location);
      const seconds = (performance.now() - started) / 1000;
      const metadata: ModelMetadata = {
        name: config.modelName,
        version,
        createdAt: new Date().toISOString(),
        backend: backend.name,
        dataset: dataset.source,
        params: { ...config },
        metrics: {
          testAccuracy: evaluation.accuracy,
          testLoss: evaluation.loss,
          trainingSeconds: history.reduce((sum, m) => sum + m.seconds, 0),
          ...lastEpochMetrics(history),
        },
        history: history.map((m) => ({ ...m })),
      };
      await writeMetadata(this.store, location, metadata);

      this.output.write(`\n${epochTable(history)}\n${perClassTable(evaluation)}\n`);
      this.output.write(`${evaluationLine(evaluation)}\n`);
      this.output.write(`Backend ${backend.name}; wall time ${formatDuration(seconds)}\n`);
      this.output.write(`Saved model ${config.modelName} version ${version} to ${location}/ (model.json, weights.bin, metadata.json)\n`);
      return { backend: backend.name, history, evaluation, version, location, seconds };
    } finally {
      tf.dispose([train.xs, train.ys, ...(validation ? [validation.xs, validation.ys] : [])]);
      model.dispose();
    }
  }
}

function lastEpochMetrics(history: EpochMetrics[]): Record<string, number> {
  const last = history.at(-1);
  if (!last) return {};
  const out: Record<string, number> = { loss: last.loss, accuracy: last.accuracy };
  if (last.valLoss !== undefined) out['valLoss'] = last.valLoss;
  if (last.valAccuracy !== undefined) out['valAccuracy'] = last.valAccuracy;
  return out;
}
