export {
  BLOB_STORE,
  BlobNotFoundError,
  UnsupportedLocationError,
  type BlobStore,
} from './lib/blob-store';
export { baseName, joinLocation, schemeOf } from './lib/location';
export { LocalStore } from './lib/local-store';
export { GcsStore, parseGsUri, type GcsOptions } from './lib/gcs-store';
export { RoutingStore } from './lib/routing-store';
export {
  createBlobStore,
  registerStorage,
  STORAGE_PARAMS,
  type StorageConfig,
} from './lib/register-storage';
