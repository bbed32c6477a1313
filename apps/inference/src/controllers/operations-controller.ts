import { Controller, Get, Response, Route, SuccessResponse, Tags } from 'tsoa';
import { inject, injectable } from 'tsyringe';
import { IMAGE_SIZE } from '@mnist-mlops/model';
import { ApiError } from '../api/api-error';
import type { ErrorResponse, HealthStatus, ModelInfo, ReadinessStatus } from '../api/api-types';
import { Lifecycle } from '../services/lifecycle';
import { ModelService } from '../services/model-service';

@Route('')
@Tags('Operations')
@injectable()
export class OperationsController extends Controller {
  constructor(
    @inject(ModelService) private readonly models: ModelService,
    @inject(Lifecycle) private readonly lifecycle: Lifecycle,
  ) {
    super();
  }

  /** Liveness: the process answers. */
  @Get('healthz')
  public healthz(): HealthStatus {
    return { status: 'ok' };
  }

  /** Readiness: 200 only while a warmed-up model is loaded and the service is not shutting down. */
  @Get('readyz')
  @SuccessResponse(200, 'Ready to serve predictions')
  @Response<ReadinessStatus>(503, 'Loading the model, or draining before shutdown')
  public readyz(): ReadinessStatus {
    const model = this.models.model;
    if (this.lifecycle.draining) {
      this.setStatus(503);
      return { status: 'draining' };
    }
    if (!model) {
      this.setStatus(503);
      return { status: 'loading' };
    }
    return { status: 'ready', model: { name: model.name, version: model.version } };
  }

  /** The model being served: name, version, where it came from, its input shape, when it was loaded. */
  @Get('model')
  @Response<ErrorResponse>(503, 'No model is loaded yet')
  public model(): ModelInfo {
    const model = this.models.model;
    if (!model) throw new ApiError(503, 'MODEL_NOT_READY', 'no model is loaded yet');
    return {
      name: model.name,
      version: model.version,
      uri: model.uri,
      source: model.source,
      inputShape: [null, IMAGE_SIZE, IMAGE_SIZE, 1],
      loadedAt: model.loadedAt.toISOString(),
      backend: model.backend,
      engine: model.engine.description,
    };
  }
}
