import { join } from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import multer from 'multer';
import swaggerUi from 'swagger-ui-express';
import type { DependencyContainer } from 'tsyringe';
import { LOGGER, type Logger } from '@mnist-mlops/logging';
import { errorBody, errorHandler, notFoundHandler } from './api/error-handler';
import { inferenceBody } from './api/inference-body';
import { methodNotAllowed } from './api/method-not-allowed';
import { RegisterRoutes } from './generated/routes';
import openapi from './generated/openapi.json';
import { ServingMetrics } from './observability/metrics';
import { requestLog, requestSummary } from './observability/request-log';
import { SERVING_CONFIG } from './tokens';
import type { ServingConfig } from './serving-params';

/** tsoa 6.6 answers a non-multipart body on an upload route with a 500; refuse it first. */
const requireMultipart: RequestHandler = (request, response, next) => {
  if (request.method === 'POST' && !request.is('multipart/form-data')) {
    response
      .status(415)
      .json(
        errorBody(
          'UNSUPPORTED_MEDIA_TYPE',
          `send the image as multipart/form-data in the field "input" (got ${request.headers['content-type'] ?? 'no content type'})`,
        ),
      );
    return;
  }
  next();
};

export interface AppOptions {
  /** Answers GET /metrics; the cluster worker asks the primary for every worker's numbers. */
  metricsText?: () => Promise<string>;
}

/**
 * The HTTP surface: tsoa-generated routes (POST /predict, /predict/batch, /healthz, /readyz,
 * /model; the Open Inference Protocol under /v2 and TF Serving's REST API under /v1/models) with their OpenAPI spec at /openapi.json and Swagger UI at /docs, Prometheus metrics
 * at /metrics, and the drawing page at /. Every error has the shape { error: { code, message } }.
 */
export function createApp(container: DependencyContainer, options: AppOptions = {}): Express {
  const config = container.resolve<ServingConfig>(SERVING_CONFIG);
  const logger = container.resolve<Logger>(LOGGER);
  const metrics = container.resolve(ServingMetrics);
  const app = express();
  app.disable('x-powered-by');
  // No ETag: no answer here is worth revalidating, and hashing every body cost a tenth of the
  // CPU time of a small PNG's prediction.
  app.set('etag', false);
  // The API's only query parameter is `include`: no nested objects to parse (qs costs more).
  app.set('query parser', 'simple');
  app.locals['container'] = container;

  app.use(
    requestLog(logger, {
      ignore: (path) => path === '/healthz' || path === '/readyz' || path === '/metrics',
    }),
  );
  app.use(metrics.middleware());
  app.use('/predict', requireMultipart);
  // The protocol routes take JSON (and binary tensors after it) whatever the content type says.
  app.post(
    [
      '/v2/models/:name/infer',
      '/v2/models/:name/versions/:version/infer',
      '/v1/models/:model',
      '/v1/models/:model/versions/:version',
    ],
    inferenceBody(config.maxUploadBytes),
  );

  const upload = multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: config.maxUploadBytes,
      files: config.maxBatchImages + 1,
      fields: 20,
      parts: config.maxBatchImages + 20,
      fieldNameSize: 200,
    },
  });
  RegisterRoutes(app, { multer: upload });

  app.get('/openapi.json', (_request, response) => {
    response.json(openapi);
  });
  app.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(undefined, {
      swaggerOptions: { url: '/openapi.json' },
      customSiteTitle: 'MNIST digit classifier API',
    }),
  );
  app.get('/metrics', async (_request, response, next) => {
    try {
      response
        .type(metrics.registry.contentType)
        .send(options.metricsText ? await options.metricsText() : await metrics.registry.metrics());
    } catch (error) {
      next(error);
    }
  });
  app.use(express.static(join(__dirname, 'public'), { index: 'index.html', maxAge: '1h' }));

  // Only what no route answered gets here, so a served request never pays for the check.
  app.use(methodNotAllowed(app));
  app.use(notFoundHandler);
  app.use(
    errorHandler((error, request) =>
      logger.error({ err: error, req: requestSummary(request) }, 'request failed'),
    ),
  );
  return app;
}
