import type { Readable, Writable } from 'node:stream';
import { UnsupportedLocationError, type BlobStore } from './blob-store';
import { schemeOf } from './location';

/** Sends each location to the backend that serves its scheme. */
export class RoutingStore implements BlobStore {
  readonly schemes: readonly string[];

  constructor(private readonly backends: readonly BlobStore[]) {
    this.schemes = backends.flatMap((backend) => backend.schemes);
  }

  backendFor(uri: string): BlobStore {
    const scheme = schemeOf(uri);
    const backend = this.backends.find((candidate) => candidate.schemes.includes(scheme));
    if (!backend) {
      const supported = this.schemes.map((s) => (s ? `${s}://` : 'plain paths'));
      throw new UnsupportedLocationError(uri, supported);
    }
    return backend;
  }

  read(uri: string): Promise<Buffer> {
    return this.backendFor(uri).read(uri);
  }
  write(uri: string, data: Uint8Array | string): Promise<void> {
    return this.backendFor(uri).write(uri, data);
  }
  exists(uri: string): Promise<boolean> {
    return this.backendFor(uri).exists(uri);
  }
  list(prefix: string): Promise<string[]> {
    return this.backendFor(prefix).list(prefix);
  }
  delete(uri: string): Promise<void> {
    return this.backendFor(uri).delete(uri);
  }
  createReadStream(uri: string): Readable {
    return this.backendFor(uri).createReadStream(uri);
  }
  createWriteStream(uri: string): Writable {
    return this.backendFor(uri).createWriteStream(uri);
  }
}
