import type { ArtifactRepositories } from './artifacts/artifact-repositories';
import type { ArtifactWriter } from './artifacts/artifact-repository';
import type { ModelRegistry, RegistryWriter } from './model-registry';
import type { TrackingSpool } from './spool/tracking-spool';
import type { TrackingStore, TrackingWriter } from './tracking-store';

/** Everything a run writes: the stores themselves, or the outage spool in front of them. */
export interface RunWriter {
  readonly store: TrackingWriter;
  readonly registry: RegistryWriter;
  readonly artifacts: ArtifactWriter;
}

/**
 * What MLFLOW_TRACKING_URI names, kept apart as MLflow keeps it (and as its MlflowClient holds
 * it): the tracking store, the model registry, and artifact repositories chosen by URI.
 */
export interface Tracking {
  /** A URL or a folder, for logs. */
  readonly location: string;
  readonly store: TrackingStore;
  readonly registry: ModelRegistry;
  readonly artifacts: ArtifactRepositories;
  /** Where runs write (see RunWriter); reads go to the parts above. */
  readonly writer: RunWriter;
  /** The journal of writes that could not reach the server; only a server has one. */
  readonly spool?: TrackingSpool;
}

/** Injection tokens, registered by registerTracking and registerModelRegistry. */
export const TRACKING = Symbol('Tracking');
export const MODEL_REGISTRY = Symbol('ModelRegistry');
export const ARTIFACT_REPOSITORIES = Symbol('ArtifactRepositories');
