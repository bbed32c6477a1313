export { BLOB_STORE, BlobNotFoundError, UnsupportedLocationError, type BlobStore } from './lib/blob-store';
export { baseName, joinLocation, schemeOf } from './lib/location';
export { LocalStore } from './lib/local-store';
export { RoutingStore } from './lib/routing-store';
export { createBlobStore, registerStorage } from './lib/register-storage';
