import type { DependencyContainer } from 'tsyringe';
import { BLOB_STORE, type BlobStore } from './blob-store';
import { LocalStore } from './local-store';
import { RoutingStore } from './routing-store';

/** Builds the store that serves every scheme this build supports. */
export function createBlobStore(): BlobStore {
  return new RoutingStore([new LocalStore()]);
}

/** Registers the BlobStore under BLOB_STORE; called by the apps' composition roots. */
export function registerStorage(container: DependencyContainer): void {
  container.register<BlobStore>(BLOB_STORE, { useValue: createBlobStore() });
}
