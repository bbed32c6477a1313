import type { DependencyContainer } from 'tsyringe';
import type { Logger } from '@mnist-mlops/logging';
import type { BlobStore } from '@mnist-mlops/storage';
import { FileTrackingStore } from './file/file-tracking-store';
import { MlflowRestClient, redactUri, restOptionsFromEnv } from './mlflow/mlflow-rest-client';
import { RestTrackingStore } from './mlflow/rest-tracking-store';
import { SpoolingTrackingStore } from './spool/spooling-store';
import { TRACKING_STORE, type TrackingStore } from './tracking-store';
import type { TrackingConfig } from './tracking-params';

export const DEFAULT_FILE_STORE = 'mlruns';

/** The tracking URI cannot be served by this build. */
export class UnsupportedTrackingUriError extends Error {
  constructor(uri: string) {
    super(
      `unsupported MLFLOW_TRACKING_URI "${redactUri(uri)}": use http(s):// for an MLflow server, or a path or file:// URI for a local mlruns/ store`,
    );
    this.name = 'UnsupportedTrackingUriError';
  }
}

/**
 * Picks the store the way the Python client does from MLFLOW_TRACKING_URI: http(s) -> the REST
 * API (with a spool for outages), a path, a file:// URI or nothing -> a local mlruns/ store.
 */
export function createTrackingStore(
  config: Pick<TrackingConfig, 'mlflowTrackingUri' | 'mlflowSpoolDir'>,
  env: NodeJS.ProcessEnv,
  blobs?: BlobStore,
  logger?: Logger,
): TrackingStore {
  const uri = config.mlflowTrackingUri;
  if (/^https?:\/\//i.test(uri)) {
    const client = new MlflowRestClient(uri, restOptionsFromEnv(env, uri));
    return new SpoolingTrackingStore(
      new RestTrackingStore(client, blobs),
      config.mlflowSpoolDir,
      logger,
    );
  }
  if (uri === '' || uri.startsWith('file:') || !/^[a-z][a-z0-9+.-]*:/i.test(uri)) {
    return new FileTrackingStore(uri || DEFAULT_FILE_STORE);
  }
  throw new UnsupportedTrackingUriError(uri);
}

/** Registers the TrackingStore under TRACKING_STORE; called by the apps' composition roots. */
export function registerTracking(
  container: DependencyContainer,
  config: Pick<TrackingConfig, 'mlflowTrackingUri' | 'mlflowSpoolDir'>,
  env: NodeJS.ProcessEnv,
  blobs?: BlobStore,
  logger?: Logger,
): void {
  container.register<TrackingStore>(TRACKING_STORE, {
    useValue: createTrackingStore(config, env, blobs, logger),
  });
}
