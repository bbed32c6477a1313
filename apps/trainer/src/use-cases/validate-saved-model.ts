import { inject, injectable } from 'tsyringe';
import { loadMnist, resolveDatasetSource } from '@mnist-mlops/data';
import { LOGGER, type Logger } from '@mnist-mlops/logging';
import { latestVersionLocation, loadModelFiles, resolveModel } from '@mnist-mlops/model';
import { activateBackend } from '@mnist-mlops/compute';
import { BLOB_STORE, type BlobStore } from '@mnist-mlops/storage';
import { describeRunLocation, withRun, TRACKING, type Tracking } from '@mnist-mlops/tracking';
import { evaluationLine, perClassTable } from '../reporting/summary';
import { formatPercent } from '../reporting/format';
import { OUTPUT, TRAINING_CONFIG } from '../tokens';
import type { TrainerConfig } from '../trainer-params';
import { evaluateModel, type Evaluation } from './evaluate';
import { SOURCE_NAME } from './train-and-validate';
import { trackEvaluation } from './track-evaluation';

export interface ValidationResult {
  location: string;
  evaluation: Evaluation;
  /** The test accuracy recorded when the model was trained, if its metadata has it. */
  recordedAccuracy?: number;
  runId: string;
}

/**
 * `trainer:validate`: load a saved model (the latest version by default; or a folder, `gs://`
 * location or registry URI `models:/<name>@<alias>` / `models:/<name>/<version>`, resolved as
 * the inference service resolves MODEL_URI), score it on the test set, and log that as its own
 * MLflow run with the same test metrics and plots as training.
 */
@injectable()
export class ValidateSavedModel {
  constructor(
    @inject(TRAINING_CONFIG) private readonly config: TrainerConfig,
    @inject(BLOB_STORE) private readonly store: BlobStore,
    @inject(TRACKING) private readonly tracking: Tracking,
    @inject(LOGGER) private readonly logger: Logger,
    @inject(OUTPUT) private readonly output: NodeJS.WritableStream,
  ) {}

  async run(modelLocation?: string): Promise<ValidationResult> {
    const location =
      modelLocation ??
      (await latestVersionLocation(this.store, this.config.outputDir, this.config.modelName))
        .location;
    const backend = await activateBackend(this.config.tfjsBackend);
    this.logger.info(`compute backend: ${backend.name} (${backend.description})`);
    const resolved = await resolveModel(
      location,
      this.store,
      this.tracking.registry,
      this.tracking.artifacts,
    );
    const model = await loadModelFiles(resolved.files);
    const metadata = await resolved.metadata();
    this.logger.info(
      `model: ${resolved.source}${metadata ? ` (${metadata.name} version ${metadata.version}, trained ${metadata.createdAt})` : ''}`,
    );
    const dataset = await loadMnist(resolveDatasetSource(this.config.dataSource, this.store), {
      testLimit: this.config.testLimit,
    });

    try {
      return await withRun(
        this.tracking,
        {
          experimentName: this.config.mlflowExperimentName,
          runName: `validate-${metadata ? `${metadata.name}-v${metadata.version}` : this.config.modelName}`,
          sourceName: SOURCE_NAME,
          existingRunId: this.config.mlflowRunId || undefined,
          tags: {
            'mnist.job': 'validate',
            'mnist.backend': backend.name,
            ...(metadata?.mlflowRunId ? { 'mnist.trained_by_run': metadata.mlflowRunId } : {}),
          },
        },
        async (run) => {
          await run.logParams({
            model_location: resolved.source,
            model_name: metadata?.name ?? this.config.modelName,
            model_version: metadata?.version,
            dataset: dataset.source,
            test_images: dataset.test.count,
            tfjs_backend: backend.name,
          });
          const evaluation = evaluateModel(model, dataset.test);
          await trackEvaluation(run, evaluation);
          this.output.write(`${perClassTable(evaluation)}\n${evaluationLine(evaluation)}\n`);
          const recordedAccuracy = metadata?.metrics['testAccuracy'];
          if (recordedAccuracy !== undefined) {
            const same = Math.abs(recordedAccuracy - evaluation.accuracy) < 1e-9;
            this.output.write(
              `Recorded at training time: ${formatPercent(recordedAccuracy)}${same ? ' (same)' : ' (differs: other data or backend?)'}\n`,
            );
          }
          this.output.write(
            `Tracked run ${run.runId}: ${describeRunLocation(this.tracking.location, run.info)}\n`,
          );
          return { location, evaluation, recordedAccuracy, runId: run.runId };
        },
      );
    } finally {
      model.dispose();
    }
  }
}
