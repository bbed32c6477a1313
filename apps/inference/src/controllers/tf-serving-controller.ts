import type { Request as ExpressRequest } from 'express';
import {
  Body,
  Controller,
  Get,
  Path,
  Post,
  Request,
  Response,
  Route,
  SuccessResponse,
  Tags,
} from 'tsoa';
import { inject, injectable } from 'tsyringe';
import { ApiError } from '../api/api-error';
import type {
  ModelMetadataResponse,
  ModelStatus,
  PredictRequest,
  PredictResponse,
  TfServingError,
} from '../api/tf-serving-types';
import { ModelService } from '../services/model-service';
import { PredictionService } from '../services/prediction-service';
import { servedModel } from '../services/protocols/served-model';
import {
  decodePredictRequest,
  encodePredictResponse,
  splitVerb,
  tfServingMetadata,
} from '../services/protocols/tf-serving-codec';

/** One version, loaded and answering: what TF Serving says of a model it serves. */
function statusOf(version: string): ModelStatus {
  return {
    model_version_status: [
      { version, state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } },
    ],
  };
}

/**
 * TensorFlow Serving's REST API, which KServe's v1 protocol shares: model status, metadata and
 * `:predict` in the row (`instances`) or columnar (`inputs`) format. Errors are `{"error": "..."}`.
 */
@Route('v1/models')
@Tags('TensorFlow Serving REST (v1)')
@injectable()
export class TfServingController extends Controller {
  constructor(
    @inject(ModelService) private readonly models: ModelService,
    @inject(PredictionService) private readonly predictions: PredictionService,
  ) {
    super();
  }

  /** The model's status: its version, AVAILABLE once loaded. */
  @Get('{model}')
  @Response<TfServingError>(404, 'Another model is served')
  @Response<TfServingError>(503, 'No model is loaded yet')
  public status(@Path() model: string): ModelStatus {
    return statusOf(servedModel(this.models.model, model).version);
  }

  /** The status of one version of the model. */
  @Get('{model}/versions/{version}')
  @Response<TfServingError>(404, 'Another model or version is served')
  @Response<TfServingError>(503, 'No model is loaded yet')
  public versionStatus(@Path() model: string, @Path() version: string): ModelStatus {
    return statusOf(servedModel(this.models.model, model, version).version);
  }

  /** The model's signature: input `input` (DT_FLOAT [-1, 28, 28, 1]), outputs `probabilities`, `digit`. */
  @Get('{model}/metadata')
  @Response<TfServingError>(404, 'Another model is served')
  @Response<TfServingError>(503, 'No model is loaded yet')
  public metadata(@Path() model: string): ModelMetadataResponse {
    const served = servedModel(this.models.model, model);
    return tfServingMetadata(served.name, served.version, served.model);
  }

  /** The signature of one version of the model. */
  @Get('{model}/versions/{version}/metadata')
  @Response<TfServingError>(404, 'Another model or version is served')
  @Response<TfServingError>(503, 'No model is loaded yet')
  public versionMetadata(@Path() model: string, @Path() version: string): ModelMetadataResponse {
    const served = servedModel(this.models.model, model, version);
    return tfServingMetadata(served.name, served.version, served.model);
  }

  /**
   * `POST /v1/models/<name>:predict`. Each image is a 28x28 (or 28x28x1, or 784) array of pixels
   * in [0, 1], white ink on black, or `{"b64": "<base64 PNG or JPEG>"}`, a picture prepared as
   * `POST /predict` prepares it. Row format (`instances`) answers `predictions`, columnar
   * (`inputs`) answers `outputs`.
   * @param model The model's name followed by `:predict`.
   */
  @Post('{model}')
  @SuccessResponse(200, "Each image's probabilities and digit")
  @Response<TfServingError>(400, 'The request does not fit the model')
  @Response<TfServingError>(404, 'Another model is served, or the verb is not :predict')
  @Response<TfServingError>(413, 'The body, a picture or its pixels are over the limit')
  @Response<TfServingError>(422, 'No digit could be found in a picture')
  @Response<TfServingError>(503, 'No model is loaded yet')
  public async predict(
    @Path() model: string,
    @Body() body: PredictRequest,
    @Request() request: ExpressRequest,
  ): Promise<PredictResponse> {
    const { subject, verb } = splitVerb(model);
    return this.run(verb, subject, undefined, body, request);
  }

  /**
   * `POST /v1/models/<name>/versions/<version>:predict`; as `:predict` on the model.
   * @param version The version followed by `:predict`.
   */
  @Post('{model}/versions/{version}')
  @SuccessResponse(200, "Each image's probabilities and digit")
  @Response<TfServingError>(400, 'The request does not fit the model')
  @Response<TfServingError>(404, 'Another model or version is served, or the verb is not :predict')
  @Response<TfServingError>(413, 'The body, a picture or its pixels are over the limit')
  @Response<TfServingError>(422, 'No digit could be found in a picture')
  @Response<TfServingError>(503, 'No model is loaded yet')
  public async predictVersion(
    @Path() model: string,
    @Path() version: string,
    @Body() body: PredictRequest,
    @Request() request: ExpressRequest,
  ): Promise<PredictResponse> {
    const { subject, verb } = splitVerb(version);
    return this.run(verb, model, subject, body, request);
  }

  private async run(
    verb: string,
    name: string,
    version: string | undefined,
    body: PredictRequest,
    request: ExpressRequest,
  ): Promise<PredictResponse> {
    // :classify and :regress need signatures this model does not have: no such resource.
    if (verb !== 'predict')
      throw new ApiError(
        404,
        'NOT_FOUND',
        `${verb ? `":${verb}" is not supported` : 'no verb'}; POST to /v1/models/${name}${version ? `/versions/${version}` : ''}:predict`,
      );
    servedModel(this.models.model, name, version);
    const { input, columnar } = decodePredictRequest(body);
    const answers = await this.predictions.classify(input, {
      requestId: String(request.id ?? ''),
      protocol: 'v1',
    });
    return encodePredictResponse(answers, columnar);
  }
}
