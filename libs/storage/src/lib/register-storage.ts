import type { DependencyContainer } from 'tsyringe';
import { defineParams, optionalText, type ConfigOf } from '@mnist-mlops/config';
import { BLOB_STORE, type BlobStore } from './blob-store';
import { GcsStore } from './gcs-store';
import { LocalStore } from './local-store';
import { RoutingStore } from './routing-store';

/** Storage settings. Without GCS_API_ENDPOINT the client also honours STORAGE_EMULATOR_HOST. */
export const STORAGE_PARAMS = defineParams({
  gcsApiEndpoint: {
    schema: optionalText(),
    default: '',
    description: 'Custom Cloud Storage endpoint, e.g. an emulator (empty = Google)',
  },
  gcsProjectId: {
    schema: optionalText(),
    default: '',
    description: 'Google Cloud project for storage requests (empty = from the credentials)',
  },
});

export type StorageConfig = ConfigOf<typeof STORAGE_PARAMS>;

/** A store for plain paths, file:// and gs:// locations; GCS is only loaded when used. */
export function createBlobStore(config: Partial<StorageConfig> = {}): BlobStore {
  return new RoutingStore([
    new LocalStore(),
    new GcsStore({
      apiEndpoint: config.gcsApiEndpoint || undefined,
      projectId: config.gcsProjectId || undefined,
    }),
  ]);
}

/** Registers the BlobStore under BLOB_STORE; called by the apps' composition roots. */
export function registerStorage(
  container: DependencyContainer,
  config: Partial<StorageConfig> = {},
): void {
  container.register<BlobStore>(BLOB_STORE, { useValue: createBlobStore(config) });
}
