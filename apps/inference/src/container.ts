import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { createLogger, LOGGER } from '@mnist-mlops/logging';
import { BLOB_STORE, registerStorage, type BlobStore } from '@mnist-mlops/storage';
import { registerModelRegistry } from '@mnist-mlops/tracking';
import { DriftMonitor } from './observability/drift-monitor';
import { ServingMetrics } from './observability/metrics';
import { PayloadLogger } from './observability/payload-log/payload-logger';
import { Lifecycle } from './services/lifecycle';
import { ModelService } from './services/model-service';
import { PredictionBatcher } from './services/prediction-batcher';
import { PredictionService } from './services/prediction-service';
import { SERVING_CONFIG } from './tokens';
import type { ServingConfig } from './serving-params';

/** The inference service's composition root: configuration, JSON logs, storage, the model registry. */
export function buildContainer(
  config: ServingConfig,
  env: NodeJS.ProcessEnv,
  logStream?: NodeJS.WritableStream,
): DependencyContainer {
  const container = rootContainer.createChildContainer();
  container.register(SERVING_CONFIG, { useValue: config });
  const logger = createLogger({
    level: config.logLevel,
    format: 'json',
    destination: logStream ?? 1,
  });
  container.register(LOGGER, { useValue: logger });
  registerStorage(container, config);
  // The service reads the registry and model files; it writes nothing to MLflow.
  registerModelRegistry(
    container,
    config.mlflowTrackingUri,
    env,
    container.resolve<BlobStore>(BLOB_STORE),
  );
  // One of each per process (per container in tests); controllers are made per request.
  container.registerSingleton(ServingMetrics);
  container.registerSingleton(DriftMonitor);
  container.registerSingleton(PayloadLogger);
  container.registerSingleton(Lifecycle);
  container.registerSingleton(ModelService);
  container.registerSingleton(PredictionBatcher);
  container.registerSingleton(PredictionService);
  return container;
}
