import type { DependencyContainer } from 'tsyringe';
import type { Logger } from '@mnist-mlops/logging';
import { LocalStore, type BlobStore } from '@mnist-mlops/storage';
import { ArtifactRepositories } from './artifacts/artifact-repositories';
import { BlobArtifactRepository } from './artifacts/blob-artifact-repository';
import { MlflowArtifactsRepository } from './artifacts/mlflow-artifacts-repository';
import { ModelsArtifactRepository } from './artifacts/models-artifact-repository';
import { RunsArtifactRepository } from './artifacts/runs-artifact-repository';
import { FileModelRegistry } from './file/file-model-registry';
import { FileTrackingStore } from './file/file-tracking-store';
import { MlflowRestClient, redactUri, restOptionsFromEnv } from './mlflow/mlflow-rest-client';
import { RestModelRegistry } from './mlflow/rest-model-registry';
import { RestTrackingStore } from './mlflow/rest-tracking-store';
import type { ModelRegistry } from './model-registry';
import { TrackingSpool } from './spool/tracking-spool';
import { ARTIFACT_REPOSITORIES, MODEL_REGISTRY, TRACKING, type Tracking } from './tracking';
import type { TrackingConfig } from './tracking-params';
import type { TrackingStore } from './tracking-store';

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

export interface TrackingOptions {
  /** Files on the local disk and in GCS (`file:`, `gs:` artifact roots); local only when absent. */
  blobs?: BlobStore;
  logger?: Logger;
  /** Where writes wait while the server is away; no spool without it. */
  spoolDir?: string;
}

/**
 * Picks the stores the way the Python client does from MLFLOW_TRACKING_URI: http(s) -> the REST
 * API (with the outage spool in front of its writes when a spool folder is given), a path, a
 * file:// URI or nothing -> a local mlruns/ folder.
 */
export function createTracking(
  trackingUri: string,
  env: NodeJS.ProcessEnv,
  options: TrackingOptions = {},
): Tracking {
  const blobs = options.blobs ?? new LocalStore();
  const local = (uri: string) => new BlobArtifactRepository(uri, blobs);
  const withArtifacts = (
    store: TrackingStore,
    registry: ModelRegistry,
    server?: MlflowRestClient,
  ): ArtifactRepositories => {
    const artifacts: ArtifactRepositories = new ArtifactRepositories(
      {
        '': local,
        file: local,
        ...(blobs.schemes.includes('gs') ? { gs: local } : {}),
        ...(server
          ? { 'mlflow-artifacts': (uri: string) => new MlflowArtifactsRepository(uri, server) }
          : {}),
        runs: (uri) => new RunsArtifactRepository(uri, store, artifacts),
        models: (uri) => new ModelsArtifactRepository(uri, store, registry, artifacts),
      },
      {
        'mlflow-artifacts': `it is served by an MLflow server's artifact proxy, and MLFLOW_TRACKING_URI (${store.location}) is a local folder`,
      },
    );
    return artifacts;
  };

  if (/^https?:\/\//i.test(trackingUri)) {
    const client = new MlflowRestClient(trackingUri, restOptionsFromEnv(env, trackingUri));
    const store = new RestTrackingStore(client);
    const registry = new RestModelRegistry(client);
    const artifacts = withArtifacts(store, registry, client);
    const direct = { store, registry, artifacts };
    const spool = options.spoolDir
      ? new TrackingSpool(options.spoolDir, store.location, options.logger)
      : undefined;
    return {
      location: store.location,
      ...direct,
      writer: spool ? spool.writer(direct) : direct,
      ...(spool ? { spool } : {}),
    };
  }
  if (
    trackingUri === '' ||
    trackingUri.startsWith('file:') ||
    !/^[a-z][a-z0-9+.-]*:/i.test(trackingUri)
  ) {
    const root = trackingUri || DEFAULT_FILE_STORE;
    const store = new FileTrackingStore(root);
    const registry = new FileModelRegistry(root);
    const artifacts = withArtifacts(store, registry);
    const direct = { store, registry, artifacts };
    return { location: store.location, ...direct, writer: direct };
  }
  throw new UnsupportedTrackingUriError(trackingUri);
}

/**
 * Registers the Tracking (TRACKING) and its registry and artifact repositories for the trainer's
 * composition root; its writes go through the spool.
 */
export function registerTracking(
  container: DependencyContainer,
  config: Pick<TrackingConfig, 'mlflowTrackingUri' | 'mlflowSpoolDir'>,
  env: NodeJS.ProcessEnv,
  blobs?: BlobStore,
  logger?: Logger,
): Tracking {
  const tracking = createTracking(config.mlflowTrackingUri, env, {
    blobs,
    logger,
    spoolDir: config.mlflowSpoolDir,
  });
  container.register<Tracking>(TRACKING, { useValue: tracking });
  container.register(MODEL_REGISTRY, { useValue: tracking.registry });
  container.register(ARTIFACT_REPOSITORIES, { useValue: tracking.artifacts });
  return tracking;
}

/**
 * Registers only what a model server needs: the registry (MODEL_REGISTRY) and the artifact
 * repositories to read models from (ARTIFACT_REPOSITORIES). Nothing is written, so no spool.
 */
export function registerModelRegistry(
  container: DependencyContainer,
  trackingUri: string,
  env: NodeJS.ProcessEnv,
  blobs?: BlobStore,
): void {
  const { registry, artifacts } = createTracking(trackingUri, env, { blobs });
  container.register(MODEL_REGISTRY, { useValue: registry });
  container.register(ARTIFACT_REPOSITORIES, { useValue: artifacts });
}
