import type { Request as ExpressRequest } from 'express';
import {
  Controller,
  Post,
  Query,
  Request,
  Response,
  Route,
  SuccessResponse,
  Tags,
  UploadedFile,
  UploadedFiles,
} from 'tsoa';
import { inject, injectable } from 'tsyringe';
import { ApiError } from '../api/api-error';
import type { BatchPrediction, ErrorResponse, IncludeOption, Prediction } from '../api/api-types';
import { SERVING_CONFIG } from '../tokens';
import type { ServingConfig } from '../serving-params';
import { PredictionService } from '../services/prediction-service';

/** A form field other than the pictures is a mistake worth naming, not something to ignore. */
function refuseOtherFields(request: ExpressRequest): void {
  const other = Object.keys((request.body as Record<string, unknown> | undefined) ?? {});
  if (other.length)
    throw new ApiError(
      400,
      'UNEXPECTED_FIELD',
      `unexpected form field ${JSON.stringify(other[0])}; send only the picture(s), in the field "input"`,
    );
}

/** What multer hands over for one uploaded file. */
interface UploadedImage {
  buffer: Buffer;
  originalname: string;
  size: number;
}

@Route('predict')
@Tags('Prediction')
@injectable()
export class PredictionController extends Controller {
  constructor(
    @inject(PredictionService) private readonly predictions: PredictionService,
    @inject(SERVING_CONFIG) private readonly config: ServingConfig,
  ) {
    super();
  }

  /**
   * Recognises the handwritten digit in one picture. Send it as `multipart/form-data` in the
   * field `input`: a PNG or JPEG of any size, a photo of ink on paper (dark on light) or a
   * light-on-dark image, a drawing on a transparent background; EXIF rotation is honoured.
   * The digit is found, cropped, scaled to a 20x20 box and centred in 28x28 by its centre of
   * mass, as MNIST was made.
   * @param input The picture of one digit (PNG or JPEG).
   * @param include `input` to also return the 28x28 image the model saw, as a PNG data URL.
   */
  @Post()
  @SuccessResponse(200, 'The digit, its probability and all ten probabilities')
  @Response<ErrorResponse>(
    400,
    'No `input` file, an empty file, another field name, or a corrupt image',
  )
  @Response<ErrorResponse>(413, 'The file or the image (in pixels) is over the limit')
  @Response<ErrorResponse>(
    415,
    'The body is not multipart/form-data, or the file is not a PNG or JPEG',
  )
  @Response<ErrorResponse>(422, 'No digit could be found in the picture')
  @Response<ErrorResponse>(503, 'No model is loaded yet')
  public async predict(
    @UploadedFile('input') input: UploadedImage,
    @Request() request: ExpressRequest,
    @Query() include?: IncludeOption,
  ): Promise<Prediction> {
    // Required in the spec, but tsoa 6.6 lets a request without it through: check here.
    if (!input)
      throw new ApiError(
        400,
        'MISSING_INPUT',
        'no file in the form field "input"; send the image as multipart/form-data field "input"',
      );
    refuseOtherFields(request);
    const { predictions } = await this.predictions.predict(
      [input],
      include === 'input',
      String(request.id ?? ''),
    );
    return predictions[0];
  }

  /**
   * Recognises the digits in several pictures at once: repeat the form field `input` once per
   * picture. The answers come back in upload order.
   * @param input The pictures, one digit each (PNG or JPEG).
   * @param include `input` to also return each 28x28 image the model saw.
   */
  @Post('batch')
  @SuccessResponse(200, 'One answer per picture, in upload order')
  @Response<ErrorResponse>(
    400,
    'No `input` files, an empty file, another field name, too many files, or a corrupt image',
  )
  @Response<ErrorResponse>(413, 'A file or an image (in pixels) is over the limit')
  @Response<ErrorResponse>(
    415,
    'The body is not multipart/form-data, or a file is not a PNG or JPEG',
  )
  @Response<ErrorResponse>(422, 'No digit could be found in one of the pictures')
  @Response<ErrorResponse>(503, 'No model is loaded yet')
  public async predictBatch(
    @UploadedFiles('input') input: UploadedImage[],
    @Request() request: ExpressRequest,
    @Query() include?: IncludeOption,
  ): Promise<BatchPrediction> {
    if (!input || input.length === 0)
      throw new ApiError(
        400,
        'MISSING_INPUT',
        'no files in the form field "input"; repeat the field once per image',
      );
    refuseOtherFields(request);
    if (input.length > this.config.maxBatchImages) {
      throw new ApiError(
        400,
        'TOO_MANY_FILES',
        `${input.length} images in one request; the limit is ${this.config.maxBatchImages}`,
      );
    }
    return this.predictions.predict(input, include === 'input', String(request.id ?? ''));
  }
}
