import * as tf from '@tensorflow/tfjs';
import { inject, injectable } from 'tsyringe';
import {
  loadMnist,
  profileImages,
  resolveDatasetSource,
  splitValidation,
  toTensors,
  withFlaggedOnes,
} from '@mnist-mlops/data';
import { LOGGER, type Logger } from '@mnist-mlops/logging';
import { datasetInputs, inputExample } from './dataset-inputs';
import {
  buildCnn,
  compileForTraining,
  INPUT_EXAMPLE,
  inputExampleFile,
  MLMODEL,
  mlmodelFile,
  nextVersionLocation,
  TFJS_FLAVOR,
  saveVersion,
  VERSION_FILES,
  trainModel,
  type EpochMetrics,
  type ModelMetadata,
} from '@mnist-mlops/model';
import { trainingOptionsOf } from '@mnist-mlops/training';
import { activateBackend } from '@mnist-mlops/compute';
import { BLOB_STORE, joinLocation, type BlobStore } from '@mnist-mlops/storage';
import {
  describeRunLocation,
  SystemMetricsMonitor,
  withRun,
  TRACKING,
  type ActiveRun,
  type ModelVersion,
  type Tracking,
} from '@mnist-mlops/tracking';
import { ProgressReporter } from '../reporting/progress-reporter';
import { epochTable, evaluationLine, perClassTable } from '../reporting/summary';
import { formatDuration } from '../reporting/format';
import { OUTPUT, TRAINING_CONFIG } from '../tokens';
import { modelParams, type TrainerConfig } from '../trainer-params';
import { evaluateModel, type Evaluation } from './evaluate';
import { epochMetrics, trackEvaluation } from './track-evaluation';

export interface TrainingResult {
  backend: string;
  history: EpochMetrics[];
  evaluation: Evaluation;
  version: number;
  location: string;
  seconds: number;
  runId: string;
  registered?: ModelVersion;
}

export const SOURCE_NAME = 'apps/trainer/src/main.ts';

/**
 * `trainer:main`: train on MNIST, evaluate on the 10,000 test images, save a new model version,
 * and track it all in MLflow (params, per-epoch curves, test metrics, ROC plots, model files, a
 * registered version with the alias moved to it). A failure ends the run as FAILED.
 */
@injectable()
export class TrainAndValidate {
  constructor(
    @inject(TRAINING_CONFIG) private readonly config: TrainerConfig,
    @inject(BLOB_STORE) private readonly store: BlobStore,
    @inject(TRACKING) private readonly tracking: Tracking,
    @inject(LOGGER) private readonly logger: Logger,
    @inject(OUTPUT) private readonly output: NodeJS.WritableStream & { isTTY?: boolean },
  ) {}

  async run(): Promise<TrainingResult> {
    const started = performance.now();
    const config = this.config;

    const backend = await activateBackend(config.tfjsBackend);
    for (const skip of backend.skipped)
      this.logger.info(`skipped backend ${skip.name}: ${skip.reason}`);
    if (
      config.tfjsBackend === 'auto' &&
      backend.name !== 'tensorflow' &&
      backend.name !== 'tensorflow-gpu'
    ) {
      this.logger.warn(
        `native TensorFlow is unavailable, training on ${backend.name}, which is several times slower; run \`npm run setup\` to build it`,
      );
    }
    this.logger.info(`compute backend: ${backend.name} (${backend.description})`);

    const dataset = await loadMnist(resolveDatasetSource(config.dataSource, this.store), {
      trainLimit: config.trainLimit,
      testLimit: config.testLimit,
    });
    this.logger.info(
      `dataset: ${dataset.source}: ${dataset.train.count} training and ${dataset.test.count} test images`,
    );
    const { version, location } = await nextVersionLocation(
      this.store,
      config.outputDir,
      config.modelName,
    );

    return withRun(
      this.tracking,
      {
        experimentName: config.mlflowExperimentName,
        runName: `${config.modelName}-v${version}`,
        sourceName: SOURCE_NAME,
        existingRunId: this.config.mlflowRunId || undefined,
        tags: {
          'mnist.job': 'train',
          'mnist.backend': backend.name,
          'mnist.tfjs_backend_detail': backend.description,
        },
        onFailedEnd: (error) => this.logger.warn(`could not mark the run failed: ${String(error)}`),
      },
      async (run) => {
        this.logger.info(`tracking: ${describeRunLocation(this.tracking.location, run.info)}`);
        const systemMetrics = config.mlflowEnableSystemMetricsLogging
          ? new SystemMetricsMonitor(run, {
              intervalSeconds: config.mlflowSystemMetricsSamplingInterval,
              logger: this.logger,
            })
          : undefined;
        systemMetrics?.start();
        try {
          return await this.trainTracked(run, backend.name, dataset, version, location, started);
        } finally {
          await systemMetrics?.stop();
        }
      },
    );
  }

  private async trainTracked(
    run: ActiveRun,
    backendName: string,
    dataset: Awaited<ReturnType<typeof loadMnist>>,
    version: number,
    location: string,
    started: number,
  ): Promise<TrainingResult> {
    const config = this.config;
    await run.logParams({
      ...modelParams(config),
      dataset: dataset.source,
      train_images: dataset.train.count,
      test_images: dataset.test.count,
    });

    const split = splitValidation(dataset.train, config.validationSplit, config.seed);
    await run.logDatasets(datasetInputs(dataset, split));
    const train = toTensors(withFlaggedOnes(split.train, config.augmentFlaggedOnes, config.seed));
    const validation = split.validation.count > 0 ? toTensors(split.validation) : undefined;
    const model = buildCnn(config);
    compileForTraining(model, config.learningRate, config.labelSmoothing);
    this.logger.info(
      `model: ${model.layers.map((layer) => layer.getClassName()).join(' -> ')}, ${model.countParams().toLocaleString('en-US')} parameters`,
    );

    try {
      const reporter = new ProgressReporter(
        this.output,
        config.progress && this.output.isTTY === true,
      );
      const batches = Math.ceil(split.train.count / config.batchSize);
      const history = await trainModel(
        model,
        train,
        validation,
        trainingOptionsOf(config, batches),
        {
          onTrainBegin: (info) => reporter.onTrainBegin(info),
          onRestoreBest: (epoch, valAccuracy) =>
            this.logger.info(
              `kept the weights of epoch ${epoch}, the best by validation accuracy (${valAccuracy.toFixed(4)})`,
            ),
          onBatchEnd: (progress) => reporter.onBatchEnd(progress),
          onEpochEnd: async (metrics) => {
            reporter.onEpochEnd(metrics);
            await run.logMetrics(epochMetrics(metrics), metrics.epoch);
          },
        },
      );

      const evaluation = evaluateModel(model, dataset.test);
      const metadata: ModelMetadata = {
        name: config.modelName,
        version,
        createdAt: new Date().toISOString(),
        backend: backendName,
        dataset: dataset.source,
        params: modelParams(config),
        metrics: {
          testAccuracy: evaluation.accuracy,
          testLoss: evaluation.loss,
          trainingSeconds: history.reduce((sum, m) => sum + m.seconds, 0),
        },
        history: history.map((m) => ({ ...m })),
        mlflowRunId: run.runId,
        reference: profileImages(split.train),
      };
      await saveVersion(this.store, location, model, metadata);

      // The model as an MLflow 3 logged model: its files, an MLmodel file with the signature and
      // an input example (the first test image); the test metrics are linked to it.
      const files = await Promise.all(
        VERSION_FILES.map(async (file) => ({
          path: file,
          data: await this.store.read(joinLocation(location, file)),
        })),
      );
      const logged = await run.logModel(
        {
          name: config.modelName,
          modelType: TFJS_FLAVOR,
          params: Object.entries(modelParams(config)).map(([key, value]) => ({
            key,
            value: String(value),
          })),
        },
        (created) => [
          ...files,
          {
            path: MLMODEL,
            data: mlmodelFile({
              modelId: created.modelId,
              runId: run.runId,
              inputShape: model.inputs[0].shape,
              outputShape: model.outputs[0].shape,
              tfjsVersion: tf.version.tfjs,
            }),
          },
          { path: INPUT_EXAMPLE, data: inputExampleFile(inputExample(dataset.test)) },
        ],
      );
      await run.setTags({ 'mnist.logged_model_id': logged.modelId });
      const tracked = await trackEvaluation(run, evaluation, history, logged);
      const registered = config.registerModel
        ? await run.registerModel(config.modelName, logged, config.modelAlias)
        : undefined;
      const seconds = (performance.now() - started) / 1000;

      this.output.write(`\n${epochTable(history)}\n${perClassTable(evaluation)}\n`);
      this.output.write(
        `${evaluationLine(evaluation)}, AUC macro ${tracked.macroAuc.toFixed(5)} / micro ${tracked.microAuc.toFixed(5)}\n`,
      );
      this.output.write(`Backend ${backendName}; wall time ${formatDuration(seconds)}\n`);
      this.output.write(
        `Saved model ${config.modelName} version ${version} to ${location}/ (${VERSION_FILES.join(', ')})\n`,
      );
      this.output.write(
        `Tracked run ${run.runId}: ${describeRunLocation(this.tracking.location, run.info)}\n`,
      );
      this.output.write(`Logged model ${logged.modelId} (models:/${logged.modelId})\n`);
      if (registered) {
        const pending =
          registered.version === 'pending'
            ? ' (pending: the server is unreachable; run `npx nx run trainer:replay`)'
            : '';
        this.output.write(
          `Registered model ${config.modelName} version ${registered.version} with alias "${config.modelAlias}"${pending}\n`,
        );
      }
      return {
        backend: backendName,
        history,
        evaluation,
        version,
        location,
        seconds,
        runId: run.runId,
        registered,
      };
    } finally {
      tf.dispose([train.xs, train.ys, ...(validation ? [validation.xs, validation.ys] : [])]);
      model.dispose();
    }
  }
}
