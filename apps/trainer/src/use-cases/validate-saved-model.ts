import { inject, injectable } from 'tsyringe';
import type { TrainingConfig } from '@mnist-mlops/config';
import { loadMnist, resolveDatasetSource } from '@mnist-mlops/data';
import { LOGGER, type Logger } from '@mnist-mlops/logging';
import { activateBackend, latestVersionLocation, loadModel, readMetadata } from '@mnist-mlops/model';
import { BLOB_STORE, type BlobStore } from '@mnist-mlops/storage';
import { evaluationLine, perClassTable } from '../reporting/summary';
import { formatPercent } from '../reporting/format';
import { OUTPUT, TRAINING_CONFIG } from '../tokens';
import { evaluateModel, type Evaluation } from './evaluate';

export interface ValidationResult {
  location: string;
  evaluation: Evaluation;
  /** The test accuracy recorded when the model was trained, if its metadata has it. */
  recordedAccuracy?: number;
}

/** `trainer:validate`: load a saved model (the latest version by default) and score it on the test set. */
@injectable()
export class ValidateSavedModel {
  constructor(
    @inject(TRAINING_CONFIG) private readonly config: TrainingConfig,
    @inject(BLOB_STORE) private readonly store: BlobStore,
    @inject(LOGGER) private readonly logger: Logger,
    @inject(OUTPUT) private readonly output: NodeJS.WritableStream,
  ) {}

  async run(modelLocation?: string): Promise<ValidationResult> {
    const location = modelLocation ?? (await latestVersionLocation(this.store, this.config.outputDir, this.config.modelName)).location;
    const backend = await activateBackend(this.config.tfjsBackend);
    this.logger.info(`compute backend: ${backend.name} (${backend.description})`);
    const model = await loadModel(this.store, location);
    const metadata = await readMetadata(this.store, location);
    this.logger.info(`model: ${location}${metadata ? ` (${metadata.name} version ${metadata.version}, trained ${metadata.createdAt})` : ''}`);

    const dataset = await loadMnist(resolveDatasetSource(this.config.dataSource, this.store), { testLimit: this.config.testLimit });
    try {
      const evaluation = evaluateModel(model, dataset.test);
      this.output.write(`${perClassTable(evaluation)}\n${evaluationLine(evaluation)}\n`);
      const recordedAccuracy = metadata?.metrics['testAccuracy'];
      if (recordedAccuracy !== undefined) {
        const same = Math.abs(recordedAccuracy - evaluation.accuracy) < 1e-9;
        this.output.write(`Recorded at training time: ${formatPercent(recordedAccuracy)}${same ? ' (same)' : ' (differs: other data or backend?)'}\n`);
      }
      return { location, evaluation, recordedAccuracy };
    } finally {
      model.dispose();
    }
  }
}
