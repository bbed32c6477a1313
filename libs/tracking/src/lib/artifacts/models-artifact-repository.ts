import { joinLocation } from '@mnist-mlops/storage';
import type { RegistryReader } from '../model-registry';
import type { TrackingReader } from '../tracking-store';
import { UnsupportedArtifactUriError, type ArtifactRepository } from './artifact-repository';
import type { ArtifactRepositories } from './artifact-repositories';

/** `models:/m-<id>[/path]`, `models:/<name>/<version>[/path]` or `models:/<name>@<alias>[/path]`. */
const MODEL_URI = /^models:\/(?:(m-[0-9a-f]+)|([^/@]+)(?:@([^/]+)|\/(\d+)))(?:\/(.*))?$/;

/**
 * A model's files by its `models:/` URI, as MLflow's ModelsArtifactRepository: a logged model's
 * own artifact location, or the source of a registered version (itself often `models:/m-<id>`).
 * Resolved on first use.
 */
export class ModelsArtifactRepository implements ArtifactRepository {
  private target?: Promise<ArtifactRepository>;

  constructor(
    readonly uri: string,
    private readonly tracking: Pick<TrackingReader, 'getLoggedModel'>,
    private readonly registry: RegistryReader,
    private readonly repositories: ArtifactRepositories,
  ) {}

  async read(path: string): Promise<Buffer> {
    return (await this.resolve()).read(path);
  }

  write(): Promise<void> {
    return Promise.reject(
      new UnsupportedArtifactUriError(
        this.uri,
        'models:/ URIs are read-only; log to the model itself',
      ),
    );
  }

  private resolve(): Promise<ArtifactRepository> {
    this.target ??= (async () => {
      const match = MODEL_URI.exec(this.uri);
      if (!match)
        throw new UnsupportedArtifactUriError(
          this.uri,
          'use models:/m-<model id>, models:/<name>/<version> or models:/<name>@<alias>',
        );
      const [, modelId, name, alias, version, path = ''] = match;
      const base = modelId
        ? (await this.tracking.getLoggedModel(modelId)).artifactUri
        : (alias
            ? await this.registry.getModelVersionByAlias(name, alias)
            : await this.registry.getModelVersion(name, version)
          ).source;
      return this.repositories.forUri(joinLocation(base, path));
    })();
    this.target.catch(() => (this.target = undefined));
    return this.target;
  }
}
