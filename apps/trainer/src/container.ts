import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { createLogger, LOGGER, type Logger } from '@mnist-mlops/logging';
import { BLOB_STORE, registerStorage, type BlobStore } from '@mnist-mlops/storage';
import { registerTracking } from '@mnist-mlops/tracking';
import { OUTPUT, TRAINING_CONFIG } from './tokens';
import type { TrainerConfig } from './trainer-params';

export interface TrainerEnvironment {
  output: NodeJS.WritableStream;
  logStream?: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** The trainer's composition root: configuration, logging, storage, tracking. Use cases resolve from it. */
export function buildContainer(
  config: TrainerConfig,
  environment: TrainerEnvironment,
): DependencyContainer {
  const container = rootContainer.createChildContainer();
  container.register(TRAINING_CONFIG, { useValue: config });
  container.register(OUTPUT, { useValue: environment.output });
  const logger = createLogger({
    level: config.logLevel,
    format: 'pretty',
    destination: environment.logStream,
  });
  container.register(LOGGER, { useValue: logger });
  registerStorage(container, config);
  registerTracking(
    container,
    config,
    environment.env,
    container.resolve<BlobStore>(BLOB_STORE),
    logger as Logger,
  );
  return container;
}
