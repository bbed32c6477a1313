import type { Readable, Writable } from 'node:stream';

/**
 * Where models and datasets live. Every method takes a full location: a plain path,
 * a `file://` URI or a `gs://bucket/key` URI; a backend handles the schemes it names.
 */
export interface BlobStore {
  /** URI schemes this store serves, e.g. `['file', '']` or `['gs']`. */
  readonly schemes: readonly string[];
  read(uri: string): Promise<Buffer>;
  /** Writes the whole object; readers never see a half-written one. */
  write(uri: string, data: Uint8Array | string): Promise<void>;
  exists(uri: string): Promise<boolean>;
  /** Locations of every object under a prefix (a "folder"), recursively, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Deletes one object; deleting a missing object is not an error. */
  delete(uri: string): Promise<void>;
  createReadStream(uri: string): Readable;
  createWriteStream(uri: string): Writable;
}

/** Injection token for the BlobStore that routes each location to its backend. */
export const BLOB_STORE = Symbol('BlobStore');

/** A location was not found, or its scheme has no backend. */
export class BlobNotFoundError extends Error {
  constructor(readonly uri: string) {
    super(`not found: ${uri}`);
    this.name = 'BlobNotFoundError';
  }
}

export class UnsupportedLocationError extends Error {
  constructor(
    readonly uri: string,
    supported: readonly string[],
  ) {
    super(`no storage backend for "${uri}"; supported: ${supported.join(', ')}`);
    this.name = 'UnsupportedLocationError';
  }
}
