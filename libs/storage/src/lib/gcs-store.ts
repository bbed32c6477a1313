import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { Bucket, Storage, StorageOptions } from '@google-cloud/storage';
import { BlobNotFoundError, type BlobStore } from './blob-store';

export interface GcsOptions {
  /** A custom endpoint, such as an emulator (`http://127.0.0.1:4443`); empty for Google's. */
  apiEndpoint?: string;
  projectId?: string;
}

/** `gs://bucket/key` -> bucket and key; the key of `gs://bucket` or `gs://bucket/` is empty. */
export function parseGsUri(uri: string): { bucket: string; key: string } {
  const match = /^gs:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new Error(`not a gs:// location: ${uri}`);
  return { bucket: match[1], key: match[2] };
}

/**
 * Google Cloud Storage through `@google-cloud/storage` 7.x (8.x needs Node 22), loaded on first
 * use so that images without GCS do not pay for it. Credentials come from the environment as
 * usual (Workload Identity, GOOGLE_APPLICATION_CREDENTIALS). An object write is all-or-nothing.
 */
export class GcsStore implements BlobStore {
  readonly schemes = ['gs'] as const;
  private client?: Storage;

  constructor(private readonly options: GcsOptions = {}) {}

  async read(uri: string): Promise<Buffer> {
    try {
      const [contents] = await this.file(uri).download();
      return contents;
    } catch (error) {
      throw notFoundOr(error, uri);
    }
  }

  async write(uri: string, data: Uint8Array | string): Promise<void> {
    await this.file(uri).save(
      typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
      { resumable: false },
    );
  }

  async exists(uri: string): Promise<boolean> {
    const [exists] = await this.file(uri).exists();
    return exists;
  }

  async list(prefix: string): Promise<string[]> {
    const { bucket, key } = parseGsUri(prefix);
    const folder = key === '' || key.endsWith('/') ? key : `${key}/`;
    const [files] = await this.bucket(bucket).getFiles({ prefix: folder });
    const base = prefix.replace(/\/+$/, '');
    return files.map((file) => `${base}/${file.name.slice(folder.length)}`).sort();
  }

  async delete(uri: string): Promise<void> {
    await this.file(uri).delete({ ignoreNotFound: true });
  }

  createReadStream(uri: string): Readable {
    const out = new PassThrough();
    const source = this.file(uri).createReadStream();
    source.on('error', (error) => out.destroy(notFoundOr(error, uri) as Error));
    return source.pipe(out);
  }

  createWriteStream(uri: string): Writable {
    return this.file(uri).createWriteStream({ resumable: false });
  }

  private file(uri: string) {
    const { bucket, key } = parseGsUri(uri);
    if (!key) throw new Error(`${uri} names a bucket, not an object`);
    return this.bucket(bucket).file(key);
  }

  private bucket(name: string): Bucket {
    if (!this.client) {
      const { Storage } =
        require('@google-cloud/storage') as typeof import('@google-cloud/storage');
      const options: StorageOptions = {};
      if (this.options.apiEndpoint) options.apiEndpoint = this.options.apiEndpoint;
      if (this.options.projectId) options.projectId = this.options.projectId;
      this.client = new Storage(options);
    }
    return this.client.bucket(name);
  }
}

function notFoundOr(error: unknown, uri: string): unknown {
  return (error as { code?: number }).code === 404 ? new BlobNotFoundError(uri) : error;
}
