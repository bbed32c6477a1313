import { joinLocation } from '@mnist-mlops/storage';
import type { TrackingReader } from '../tracking-store';
import { UnsupportedArtifactUriError, type ArtifactRepository } from './artifact-repository';
import type { ArtifactRepositories } from './artifact-repositories';

/**
 * `runs:/<run id>/<path>`: a folder of a run's artifacts, wherever its artifact root is, as
 * MLflow's RunsArtifactRepository; the run is looked up on first use.
 */
export class RunsArtifactRepository implements ArtifactRepository {
  private target?: Promise<ArtifactRepository>;

  constructor(
    readonly uri: string,
    private readonly tracking: TrackingReader,
    private readonly repositories: ArtifactRepositories,
  ) {}

  async read(path: string): Promise<Buffer> {
    return (await this.resolve()).read(path);
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    return (await this.resolve()).write(path, data);
  }

  private resolve(): Promise<ArtifactRepository> {
    this.target ??= (async () => {
      const match = /^runs:\/([^/]+)\/?(.*)$/.exec(this.uri);
      if (!match) throw new UnsupportedArtifactUriError(this.uri, 'use runs:/<run id>/<path>');
      const { info } = await this.tracking.getRun(match[1]);
      return this.repositories.forUri(joinLocation(info.artifactUri, match[2]));
    })();
    // A failed lookup (the server away) is tried again next time.
    this.target.catch(() => (this.target = undefined));
    return this.target;
  }
}
