import { PNG } from 'pngjs';
import { inject, injectable } from 'tsyringe';
import { MNIST_SIZE } from '@mnist-mlops/data';
import type { ModelRef, Prediction } from '../api/api-types';
import { ApiError } from '../api/api-error';
import { SERVING_CONFIG } from '../tokens';
import type { ServingConfig } from '../serving-params';
import { readDigit } from './digit-reader';
import { ModelLoadFailedError, ModelService } from './model-service';
import { PredictionBatcher } from './prediction-batcher';
import { ServingMetrics } from '../observability/metrics';

export interface Upload {
  buffer: Buffer;
  originalname?: string;
}

/** Upload -> decode -> the digit prepared as MNIST was -> the model -> an answer. */
@injectable()
export class PredictionService {
  constructor(
    @inject(SERVING_CONFIG) private readonly config: ServingConfig,
    @inject(ModelService) private readonly models: ModelService,
    @inject(PredictionBatcher) private readonly batcher: PredictionBatcher,
    @inject(ServingMetrics) private readonly metrics: ServingMetrics,
  ) {}

  async predict(
    uploads: Upload[],
    includeInput: boolean,
  ): Promise<{ predictions: Prediction[]; model: ModelRef }> {
    if (!this.models.model)
      throw new ApiError(503, 'MODEL_NOT_READY', 'no model is loaded yet; try again shortly');
    const prepared = await Promise.all(
      uploads.map(async (upload, index) => {
        try {
          return (await readDigit(upload.buffer, this.config.maxImagePixels)).pixels;
        } catch (error) {
          if (uploads.length > 1 && error instanceof Error)
            error.message = `image ${index + 1} (${upload.originalname ?? 'unnamed'}): ${error.message}`;
          throw error;
        }
      }),
    );
    let result;
    try {
      result = await this.batcher.predict(prepared);
    } catch (error) {
      if (error instanceof ModelLoadFailedError)
        throw new ApiError(503, 'MODEL_NOT_READY', error.message);
      throw error;
    }
    const model = { name: result.model.name, version: result.model.version };
    const predictions = result.probabilities.map((probabilities, i): Prediction => {
      let best = 0;
      for (let d = 1; d < probabilities.length; d++)
        if (probabilities[d] > probabilities[best]) best = d;
      this.metrics.predictions.inc({ digit: String(best) });
      return {
        prediction: best,
        confidence: probabilities[best],
        probabilities: Array.from(probabilities, (p) => Math.round(p * 1e6) / 1e6),
        model,
        ...(includeInput ? { input: toPngDataUrl(prepared[i]) } : {}),
      };
    });
    return { predictions, model };
  }
}

function toPngDataUrl(pixels: Uint8Array): string {
  const png = new PNG({
    width: MNIST_SIZE,
    height: MNIST_SIZE,
    colorType: 0,
    inputColorType: 0,
    inputHasAlpha: false,
  });
  png.data = Buffer.from(pixels);
  return `data:image/png;base64,${PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }).toString('base64')}`;
}
