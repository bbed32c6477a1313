import type { LoggedModel, ModelVersion, RunInfo } from './entities';

/**
 * The model registry, kept apart from the tracking store as MLflow keeps it: registered models,
 * their versions and aliases. Writes and reads are two interfaces, as for the tracking store.
 */
export interface RegistryWriter {
  /**
   * Registers a model version (creating the registered model if needed): from a logged model
   * (source `models:/m-<id>`, its `model_id`) or from the run's artifacts at `artifactPath`.
   */
  createModelVersion(
    name: string,
    run: RunInfo,
    from: { artifactPath: string } | { model: LoggedModel },
  ): Promise<ModelVersion>;
  setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void>;
}

export interface RegistryReader {
  /** What the registry reads from, for logs: a URL or a folder. */
  readonly location: string;
  /** The version an alias points at (`models:/<name>@<alias>`). */
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  /** Versions of a model registered from one run, oldest first. */
  findModelVersions(name: string, runId: string): Promise<ModelVersion[]>;
}

/** What a backend implements. */
export interface ModelRegistry extends RegistryReader, RegistryWriter {}
