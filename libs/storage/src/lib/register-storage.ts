import type { DependencyContainer } from 'tsyringe';
import { defineParams, integer, optionalText, type ConfigOf } from '@mnist-mlops/config';
import { BLOB_STORE, type BlobStore } from './blob-store';
import { DEFAULT_MAX_RETRIES, GcsStore } from './gcs-store';
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
  gcsMaxRetries: {
    schema: integer({ min: 0, max: 20 }),
    default: String(DEFAULT_MAX_RETRIES),
    description:
      'Retries of a Cloud Storage request that failed on the network or with 408/429/5xx (back-off 1 s, 2 s, 4 s, ...)',
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
      maxRetries: config.gcsMaxRetries,
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
