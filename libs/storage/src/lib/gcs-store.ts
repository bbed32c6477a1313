import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { ApiError, Bucket, Storage, StorageOptions } from '@google-cloud/storage';
import { BlobNotFoundError, type BlobStore } from './blob-store';

export interface GcsOptions {
  /** A custom endpoint, such as an emulator (`http://127.0.0.1:4443`); empty for Google's. */
  apiEndpoint?: string;
  projectId?: string;
  /** Attempts after the first of a request that failed on the network or with a 408/429/5xx. */
  maxRetries?: number;
}

/** Six retries wait about a minute in all (1 + 2 + ... + 32 s): a restart, not an outage. */
export const DEFAULT_MAX_RETRIES = 6;

/** Connection problems the client's default rule does not retry, although they pass. */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/**
 * The client's default rule (408, 429, 5xx, a reset connection), plus a refused connection or a
 * socket hung up: what an endpoint that restarts (an emulator, a proxy, a node going away) gives.
 */
export function isTransientGcsError(
  error: ApiError | undefined,
  defaultRule: (e?: ApiError) => boolean,
): boolean {
  if (!error) return false;
  if (defaultRule(error)) return true;
  const code = (error as { code?: unknown }).code;
  return (
    (typeof code === 'string' && TRANSIENT_CODES.has(code.toUpperCase())) ||
    /socket hang up|ECONNREFUSED|ECONNRESET/i.test(error.message ?? '')
  );
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
 *
 * Every request, uploads included, is retried with exponential back-off (1 s, 2 s, 4 s, ...) on
 * a transient failure: the client only retries uploads that carry a generation precondition,
 * but every object written here is a whole file whose content is the same on each attempt, so
 * repeating the upload is safe (RetryAlways).
 */
export class GcsStore implements BlobStore {
  readonly schemes = ['gs'] as const;
  private client?: Storage;

  constructor(private readonly options: GcsOptions = {}) {}

  /**
   * The object's media, fetched by us rather than by `file.download()`: when a connection is cut
   * in the middle of the body, the client's download promise can stay pending for ever (seen with
   * 7.22 here; googleapis/nodejs-storage#2093), so a restarted server would hang a training run.
   * A cut, a short body, an MD5 mismatch, a 408/429/5xx: retried with the same back-off.
   */
  async read(uri: string): Promise<Buffer> {
    const { bucket, key } = this.object(uri);
    const maxRetries = this.options.maxRetries ?? DEFAULT_MAX_RETRIES;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.downloadOnce(uri, bucket, key);
      } catch (error) {
        if (error instanceof BlobNotFoundError || attempt >= maxRetries || !isRetryableRead(error))
          throw error;
        // 1 s, 2 s, 4 s, ... up to 64 s, with up to a second of jitter, as the client does.
        await sleep(Math.min(2 ** attempt, 64) * 1000 + Math.random() * 1000);
      }
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

  private async downloadOnce(uri: string, bucket: string, key: string): Promise<Buffer> {
    const client = this.storage();
    const url = `${client.apiEndpoint}/storage/v1/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(key)}?alt=media`;
    // An emulator takes no credentials (the client sends none to a custom endpoint either).
    const headers = client.customEndpoint
      ? {}
      : ((await client.authClient.getRequestHeaders(url)) as unknown as Record<string, string>);
    const response = await fetch(url, { headers });
    if (response.status === 404) throw new BlobNotFoundError(uri);
    if (!response.ok) {
      const detail = (await response.text().catch(() => '')).slice(0, 200);
      throw new GcsRequestError(uri, response.status, detail);
    }
    const body = Buffer.from(await response.arrayBuffer());
    const expected = /(?:^|,)\s*md5=([^,]+)/.exec(response.headers.get('x-goog-hash') ?? '')?.[1];
    // A transcoded (gzip-served) object's hash is of the stored bytes, not of what arrived.
    if (expected && !response.headers.get('content-encoding')) {
      const actual = createHash('md5').update(body).digest('base64');
      if (actual !== expected) throw new GcsIntegrityError(uri, expected, actual);
    }
    return body;
  }

  private object(uri: string): { bucket: string; key: string } {
    const { bucket, key } = parseGsUri(uri);
    if (!key) throw new Error(`${uri} names a bucket, not an object`);
    return { bucket, key };
  }

  private file(uri: string) {
    const { bucket, key } = this.object(uri);
    return this.bucket(bucket).file(key);
  }

  private bucket(name: string): Bucket {
    return this.storage().bucket(name);
  }

  private storage(): Storage {
    if (!this.client) {
      const { Storage, IdempotencyStrategy, RETRYABLE_ERR_FN_DEFAULT } =
        require('@google-cloud/storage') as typeof import('@google-cloud/storage');
      const options: StorageOptions = {
        retryOptions: {
          autoRetry: true,
          maxRetries: this.options.maxRetries ?? DEFAULT_MAX_RETRIES,
          idempotencyStrategy: IdempotencyStrategy.RetryAlways,
          retryableErrorFn: (error) => isTransientGcsError(error, RETRYABLE_ERR_FN_DEFAULT),
        },
      };
      if (this.options.apiEndpoint) options.apiEndpoint = this.options.apiEndpoint;
      if (this.options.projectId) options.projectId = this.options.projectId;
      this.client = new Storage(options);
    }
    return this.client;
  }
}

/** Cloud Storage answered a request with an error status. */
export class GcsRequestError extends Error {
  constructor(
    readonly uri: string,
    readonly status: number,
    detail: string,
  ) {
    super(`Cloud Storage answered ${status} for ${uri}${detail ? `: ${detail}` : ''}`);
    this.name = 'GcsRequestError';
  }
}

/** What arrived is not what Cloud Storage holds (its MD5 differs). */
export class GcsIntegrityError extends Error {
  constructor(uri: string, expected: string, actual: string) {
    super(`the download of ${uri} is damaged: MD5 ${actual}, expected ${expected}`);
    this.name = 'GcsIntegrityError';
  }
}

function isRetryableRead(error: unknown): boolean {
  if (error instanceof GcsIntegrityError) return true;
  if (error instanceof GcsRequestError)
    return [408, 429, 500, 502, 503, 504].includes(error.status);
  // fetch rejects with a TypeError for every network failure: refused, reset, cut mid-body.
  return error instanceof TypeError;
}

function notFoundOr(error: unknown, uri: string): unknown {
  return (error as { code?: number }).code === 404 ? new BlobNotFoundError(uri) : error;
}
