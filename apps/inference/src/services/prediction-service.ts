import { PNG } from 'pngjs';
import { inject, injectable } from 'tsyringe';
import { MNIST_SIZE, pictureStatistics } from '@mnist-mlops/data';
import type { ModelRef, Prediction } from '../api/api-types';
import { ApiError } from '../api/api-error';
import { SERVING_CONFIG } from '../tokens';
import type { ServingConfig } from '../serving-params';
import { readDigit } from './digit-reader';
import { ModelLoadFailedError, ModelService } from './model-service';
import { PredictionBatcher } from './prediction-batcher';
import { DriftMonitor } from '../observability/drift-monitor';
import { ServingMetrics } from '../observability/metrics';
import { PayloadLogger } from '../observability/payload-log/payload-logger';
import type { ModelInput } from './protocols/tensor-data';

export interface Classified {
  /** The 28x28 images the model saw. */
  images: Uint8Array[];
  probabilities: Float32Array[];
  /** The most probable digit of each. */
  digits: number[];
  model: ModelRef;
}

/** Who asked, for the payload log. */
export interface RequestContext {
  requestId: string;
  /** The route family that answered: predict, v2, v1. */
  protocol: string;
}

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
    @inject(DriftMonitor) private readonly monitor: DriftMonitor,
    @inject(PayloadLogger) private readonly payloads: PayloadLogger,
  ) {}

  /** The /predict answers: each picture's digit, confidence and probabilities. */
  async predict(
    uploads: Upload[],
    includeInput: boolean,
    requestId = '',
  ): Promise<{ predictions: Prediction[]; model: ModelRef }> {
    const { images, probabilities, digits, model } = await this.classify(
      {
        kind: 'pictures',
        pictures: uploads.map((upload) => upload.buffer),
        names: uploads.map((upload) => upload.originalname),
      },
      { requestId, protocol: 'predict' },
    );
    const predictions = probabilities.map((row, i): Prediction => ({
      prediction: digits[i],
      confidence: row[digits[i]],
      probabilities: Array.from(row, (p) => Math.round(p * 1e6) / 1e6),
      model,
      ...(includeInput ? { input: toPngDataUrl(images[i]) } : {}),
    }));
    return { predictions, model };
  }

  /**
   * Every route's way to the model: pictures are prepared as MNIST was made, ready 28x28 images
   * (from a tensor) go as they are; then the batcher, which shares model calls among requests.
   */
  async classify(
    input: ModelInput & { names?: (string | undefined)[] },
    request: RequestContext,
  ): Promise<Classified> {
    if (!this.models.model)
      throw new ApiError(503, 'MODEL_NOT_READY', 'no model is loaded yet; try again shortly');
    const read =
      input.kind === 'pixels'
        ? undefined
        : await Promise.all(
            input.pictures.map(async (picture, index) => {
              try {
                return await readDigit(picture, this.config.maxImagePixels);
              } catch (error) {
                if (input.pictures.length > 1 && error instanceof Error)
                  error.message = `image ${index + 1}${input.names?.[index] ? ` (${input.names[index]})` : ''}: ${error.message}`;
                throw error;
              }
            }),
          );
    const images = read
      ? read.map((digit) => digit.pixels)
      : (input as { images: Uint8Array[] }).images;
    let result;
    try {
      result = await this.batcher.predict(images);
    } catch (error) {
      if (error instanceof ModelLoadFailedError)
        throw new ApiError(503, 'MODEL_NOT_READY', error.message);
      throw error;
    }
    const digits = result.probabilities.map((row) => {
      let best = 0;
      for (let d = 1; d < row.length; d++) if (row[d] > row[best]) best = d;
      this.metrics.predictions.inc({ digit: String(best) });
      return best;
    });
    this.monitor.observe(
      images.map((image, i) => ({
        statistics: pictureStatistics(image, read?.[i]),
        digit: digits[i],
        confidence: result.probabilities[i][digits[i]],
      })),
    );
    const model = { name: result.model.name, version: result.model.version };
    if (this.payloads.enabled)
      images.forEach((image, i) => {
        if (this.payloads.sampled())
          this.payloads.log({
            ...request,
            model,
            prediction: digits[i],
            confidence: result.probabilities[i][digits[i]],
            probabilities: Array.from(result.probabilities[i]),
            input: toPngDataUrl(image),
          });
      });
    return { images, probabilities: result.probabilities, digits, model };
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
