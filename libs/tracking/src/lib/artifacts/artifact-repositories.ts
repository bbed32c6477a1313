import {
  artifactScheme,
  UnsupportedArtifactUriError,
  type ArtifactReader,
  type ArtifactRepository,
  type ArtifactWriter,
} from './artifact-repository';

/** Makes the repository of one artifact root. */
export type ArtifactRepositoryFactory = (uri: string) => ArtifactRepository;

/**
 * Picks the repository for an artifact URI by its scheme, as MLflow's `get_artifact_repository`
 * does. Which schemes exist depends on the tracking URI: `mlflow-artifacts:` only with a server.
 */
export class ArtifactRepositories implements ArtifactReader, ArtifactWriter {
  constructor(
    private readonly schemes: Readonly<Record<string, ArtifactRepositoryFactory>>,
    /** Why a scheme that is not in the table cannot be served, where there is more to say. */
    private readonly missing: Readonly<Record<string, string>> = {},
  ) {}

  forUri(uri: string): ArtifactRepository {
    const scheme = artifactScheme(uri);
    const factory = this.schemes[scheme];
    if (!factory) {
      const served = Object.keys(this.schemes).map((s) => (s ? `${s}:` : 'plain paths'));
      throw new UnsupportedArtifactUriError(
        uri,
        this.missing[scheme] ??
          `no artifact repository for "${scheme}:" (served: ${served.join(', ')})`,
      );
    }
    return factory(uri);
  }

  read(artifactUri: string, path: string): Promise<Buffer> {
    return this.forUri(artifactUri).read(path);
  }

  write(artifactUri: string, path: string, data: Uint8Array): Promise<void> {
    return this.forUri(artifactUri).write(path, data);
  }
}
