import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { TrainingConfig } from '@mnist-mlops/config';
import { createLogger, LOGGER } from '@mnist-mlops/logging';
import { registerStorage } from '@mnist-mlops/storage';
import { OUTPUT, TRAINING_CONFIG } from './tokens';

export interface TrainerEnvironment {
  output: NodeJS.WritableStream;
  logStream?: NodeJS.WritableStream;
}

/** The trainer's composition root: configuration, logging, storage. Use cases resolve from it. */
export function buildContainer(config: TrainingConfig, environment: TrainerEnvironment): DependencyContainer {
  const container = rootContainer.createChildContainer();
  container.register(TRAINING_CONFIG, { useValue: config });
  container.register(OUTPUT, { useValue: environment.output });
  container.register(LOGGER, {
    useValue: createLogger({ level: config.logLevel, format: 'pretty', destination: environment.logStream }),
  });
  registerStorage(container);
  return container;
}
