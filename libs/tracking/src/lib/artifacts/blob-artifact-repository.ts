import { joinLocation, type BlobStore } from '@mnist-mlops/storage';
import type { ArtifactRepository } from './artifact-repository';

/**
 * An artifact root on the local disk (`file://`, a plain path) or in Google Cloud Storage
 * (`gs://`), as MLflow's LocalArtifactRepository and GCSArtifactRepository: the storage library's
 * backends do the I/O, so a run's files and the datasets share one GCS client and its credentials.
 */
export class BlobArtifactRepository implements ArtifactRepository {
  constructor(
    readonly uri: string,
    private readonly blobs: BlobStore,
  ) {}

  read(path: string): Promise<Buffer> {
    return this.blobs.read(joinLocation(this.uri, path));
  }

  write(path: string, data: Uint8Array): Promise<void> {
    return this.blobs.write(joinLocation(this.uri, path), data);
  }
}
