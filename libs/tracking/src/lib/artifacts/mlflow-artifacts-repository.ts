import { joinLocation } from '@mnist-mlops/storage';
import type { MlflowRestClient } from '../mlflow/mlflow-rest-client';
import type { ArtifactRepository } from './artifact-repository';

/**
 * `mlflow-artifacts:/<path>` (or `mlflow-artifacts://host:port/<path>`): files through the
 * tracking server's artifact proxy (`mlflow server --serve-artifacts`), as MLflow's
 * MlflowArtifactsRepository; the client never sees the server's own artifact store.
 */
export class MlflowArtifactsRepository implements ArtifactRepository {
  private readonly root: string;

  constructor(
    readonly uri: string,
    private readonly client: MlflowRestClient,
  ) {
    this.root = uri.replace(/^mlflow-artifacts:(\/\/[^/]+)?\/?/i, '');
  }

  read(path: string): Promise<Buffer> {
    return this.client.getArtifact(joinLocation(this.root, path));
  }

  write(path: string, data: Uint8Array): Promise<void> {
    return this.client.putArtifact(joinLocation(this.root, path), data);
  }
}
