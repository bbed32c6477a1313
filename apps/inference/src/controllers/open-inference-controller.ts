import { Readable } from 'node:stream';
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
import { binaryDataOf } from '../api/inference-body';
import type {
  InferenceError,
  InferenceRequest,
  InferenceResponse,
  ModelMetadata,
  ModelReady,
  ServerLive,
  ServerMetadata,
  ServerReady,
} from '../api/open-inference-types';
import openapi from '../generated/openapi.json';
import { Lifecycle } from '../services/lifecycle';
import { ModelService } from '../services/model-service';
import { PredictionService } from '../services/prediction-service';
import {
  decodeInferenceRequest,
  encodeInferenceResponse,
  modelMetadata,
} from '../services/protocols/open-inference-codec';
import { servedModel } from '../services/protocols/served-model';

const SERVER_NAME = 'mnist-mlops-inference';

/**
 * The Open Inference Protocol (KServe v2) over REST, as Triton's and KServe's clients speak it:
 * health, server and model metadata, and inference on tensors (JSON or the binary tensor
 * extension) or on encoded pictures (BYTES). Errors are `{"error": "..."}` as the protocol has them.
 */
@Route('v2')
@Tags('Open Inference Protocol (v2)')
@injectable()
export class OpenInferenceController extends Controller {
  constructor(
    @inject(ModelService) private readonly models: ModelService,
    @inject(PredictionService) private readonly predictions: PredictionService,
    @inject(Lifecycle) private readonly lifecycle: Lifecycle,
  ) {
    super();
  }

  /** Server metadata: name, version and the protocol extensions spoken. */
  @Get()
  public server(): ServerMetadata {
    return { name: SERVER_NAME, version: openapi.info.version, extensions: ['binary_tensor_data'] };
  }

  /** Server liveness: the process answers. */
  @Get('health/live')
  public live(): ServerLive {
    return { live: true };
  }

  /** Server readiness: 200 while a warmed-up model is served and the server is not draining. */
  @Get('health/ready')
  @Response<ServerReady>(503, 'Loading the model, or draining before shutdown')
  public ready(): ServerReady {
    const ready = !!this.models.model && !this.lifecycle.draining;
    if (!ready) this.setStatus(503);
    return { ready };
  }

  /** Model readiness. */
  @Get('models/{name}/ready')
  @Response<ModelReady>(503, 'The model is not loaded yet')
  @Response<InferenceError>(404, 'Another model is served')
  public modelReady(@Path() name: string): ModelReady {
    return this.readiness(name);
  }

  /** Readiness of one version of the model. */
  @Get('models/{name}/versions/{version}/ready')
  @Response<ModelReady>(503, 'The model is not loaded yet')
  @Response<InferenceError>(404, 'Another model or version is served')
  public versionReady(@Path() name: string, @Path() version: string): ModelReady {
    return this.readiness(name, version);
  }

  /** Model metadata: its versions, platform, and input and output tensors. */
  @Get('models/{name}')
  @Response<InferenceError>(404, 'Another model is served')
  @Response<InferenceError>(503, 'No model is loaded yet')
  public model(@Path() name: string): ModelMetadata {
    const model = servedModel(this.models.model, name);
    return modelMetadata(model.name, model.version, model.model);
  }

  /** Metadata of one version of the model. */
  @Get('models/{name}/versions/{version}')
  @Response<InferenceError>(404, 'Another model or version is served')
  @Response<InferenceError>(503, 'No model is loaded yet')
  public version(@Path() name: string, @Path() version: string): ModelMetadata {
    const model = servedModel(this.models.model, name, version);
    return modelMetadata(model.name, model.version, model.model);
  }

  /**
   * Inference. The input `input` is `FP32` pixels in [0, 1] or `UINT8` pixels 0-255, white ink on
   * black, shaped `[N, 28, 28]`, `[N, 28, 28, 1]` or `[N, 784]`; or `BYTES` `[N]`: PNG or JPEG
   * pictures (base64 strings in JSON), prepared as `POST /predict` prepares them. Outputs:
   * `probabilities` (`FP32 [N, 10]`) and `digit` (`INT64 [N]`). With the binary tensor extension
   * (`Inference-Header-Content-Length`), tensors may follow the JSON header, and outputs asked for
   * with `binary_data` come back after it the same way (`application/octet-stream`).
   */
  @Post('models/{name}/infer')
  @SuccessResponse(200, 'The outputs asked for, all of them by default')
  @Response<InferenceError>(
    400,
    'The request does not fit the model (names, shape, datatype, data)',
  )
  @Response<InferenceError>(404, 'Another model is served')
  @Response<InferenceError>(413, 'The body, a picture or its pixels are over the limit')
  @Response<InferenceError>(422, 'No digit could be found in a picture')
  @Response<InferenceError>(503, 'No model is loaded yet')
  public async infer(
    @Path() name: string,
    @Body() body: InferenceRequest,
    @Request() request: ExpressRequest,
  ): Promise<InferenceResponse> {
    return this.run(name, undefined, body, request);
  }

  /** Inference on one version of the model; as `POST /v2/models/{name}/infer`. */
  @Post('models/{name}/versions/{version}/infer')
  @SuccessResponse(200, 'The outputs asked for, all of them by default')
  @Response<InferenceError>(
    400,
    'The request does not fit the model (names, shape, datatype, data)',
  )
  @Response<InferenceError>(404, 'Another model or version is served')
  @Response<InferenceError>(413, 'The body, a picture or its pixels are over the limit')
  @Response<InferenceError>(422, 'No digit could be found in a picture')
  @Response<InferenceError>(503, 'No model is loaded yet')
  public async inferVersion(
    @Path() name: string,
    @Path() version: string,
    @Body() body: InferenceRequest,
    @Request() request: ExpressRequest,
  ): Promise<InferenceResponse> {
    return this.run(name, version, body, request);
  }

  private readiness(name: string, version?: string): ModelReady {
    if (!this.models.model) {
      this.setStatus(503);
      return { name, ready: false };
    }
    servedModel(this.models.model, name, version);
    return { name, ready: true };
  }

  private async run(
    name: string,
    version: string | undefined,
    body: InferenceRequest,
    request: ExpressRequest,
  ): Promise<InferenceResponse> {
    servedModel(this.models.model, name, version);
    if (body.model_name !== undefined && body.model_name !== name)
      servedModel(this.models.model, body.model_name);
    const { input, outputs } = decodeInferenceRequest(body, binaryDataOf(request));
    const answers = await this.predictions.classify(input, {
      requestId: String(request.id ?? ''),
      protocol: 'v2',
    });
    // The model that answered: a swap may have happened while the request waited.
    const { json, binary } = encodeInferenceResponse(answers, answers.model, body.id, outputs);
    if (!binary) return json;
    // Binary outputs follow the JSON header; tsoa sends a stream as it is.
    const header = Buffer.from(JSON.stringify(json));
    this.setHeader('Inference-Header-Content-Length', String(header.length));
    this.setHeader('Content-Type', 'application/octet-stream');
    return Readable.from([Buffer.concat([header, binary])]) as unknown as InferenceResponse;
  }
}
