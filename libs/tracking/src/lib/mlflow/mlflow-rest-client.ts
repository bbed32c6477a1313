import { backOff } from 'exponential-backoff';
import { ModelNotFoundError, TrackingRequestError, TrackingUnavailableError } from '../errors';

/** How to authenticate, as the Python client reads it from the environment. */
export type AuthProvider = () => Promise<Record<string, string>>;

export interface RestClientOptions {
  /** Retries after the first attempt, on 429, 5xx and network errors. */
  maxRetries: number;
  /** Seconds before the first retry; doubled each time, with full jitter. */
  backoffSeconds: number;
  /** Seconds before one request is abandoned. */
  timeoutSeconds: number;
  auth: AuthProvider;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** The parts of the environment the MLflow REST client reads (names as in the Python client). */
export function restOptionsFromEnv(env: NodeJS.ProcessEnv, trackingUri: string): RestClientOptions {
  const number = (key: string, fallback: number) => {
    const value = Number(env[key]);
    return env[key] !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
  };
  return {
    maxRetries: number('MLFLOW_HTTP_REQUEST_MAX_RETRIES', 5),
    backoffSeconds: number('MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR', 0.5),
    timeoutSeconds: number('MLFLOW_HTTP_REQUEST_TIMEOUT', 120),
    auth: authFromEnv(env, trackingUri),
  };
}

/**
 * Basic auth from MLFLOW_TRACKING_USERNAME/PASSWORD (or user:pass in the URI), a bearer token
 * from MLFLOW_TRACKING_TOKEN, or, with MLFLOW_TRACKING_AUTH=gcp-id-token, a Google ID token for
 * the server's URL (an MLflow server on Cloud Run behind IAM), fetched and refreshed by
 * google-auth-library from the ambient credentials.
 */
export function authFromEnv(env: NodeJS.ProcessEnv, trackingUri: string): AuthProvider {
  const url = new URL(trackingUri);
  const username = env['MLFLOW_TRACKING_USERNAME'] ?? decodeURIComponent(url.username);
  const password = env['MLFLOW_TRACKING_PASSWORD'] ?? decodeURIComponent(url.password);
  const token = env['MLFLOW_TRACKING_TOKEN'];
  if (env['MLFLOW_TRACKING_AUTH'] === 'gcp-id-token') {
    const audience = env['MLFLOW_GCP_ID_TOKEN_AUDIENCE'] ?? url.origin;
    let client:
      Promise<{ getRequestHeaders(): Promise<Headers | Record<string, string>> }> | undefined;
    return async () => {
      client ??= (async () => {
        const { GoogleAuth } = require('google-auth-library');
        return new GoogleAuth().getIdTokenClient(audience);
      })();
      const headers = await (await client).getRequestHeaders();
      return headers instanceof Headers ? Object.fromEntries(headers.entries()) : headers;
    };
  }
  if (token) return async () => ({ authorization: `Bearer ${token}` });
  if (username) {
    const basic = Buffer.from(`${username}:${password ?? ''}`).toString('base64');
    return async () => ({ authorization: `Basic ${basic}` });
  }
  return async () => ({});
}

/** The URI without any user:password part, for logs and messages. */
export function redactUri(uri: string): string {
  try {
    const url = new URL(uri);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return uri;
  }
}

/**
 * A small typed client for the MLflow REST API (`/api/2.0/mlflow/...` and the artifact proxy
 * `/api/2.0/mlflow-artifacts/...`), with retries and timeouts. Credentials go in headers only;
 * nothing here logs a request.
 */
export class MlflowRestClient {
  readonly baseUrl: string;

  constructor(
    trackingUri: string,
    private readonly options: RestClientOptions,
  ) {
    this.baseUrl = redactUri(trackingUri);
  }

  get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) params.set(key, String(value));
    const suffix = params.size ? `?${params}` : '';
    return this.request<T>('GET', `/api/2.0/mlflow/${path}${suffix}`);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>(
      'POST',
      `/api/2.0/mlflow/${path}`,
      JSON.stringify(body),
      'application/json',
    );
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>(
      'PATCH',
      `/api/2.0/mlflow/${path}`,
      JSON.stringify(body),
      'application/json',
    );
  }

  /** Uploads one artifact through the server's proxy (`mlflow server --serve-artifacts`). */
  async putArtifact(artifactPath: string, data: Uint8Array): Promise<void> {
    const encoded = artifactPath.split('/').map(encodeURIComponent).join('/');
    await this.request(
      'PUT',
      `/api/2.0/mlflow-artifacts/artifacts/${encoded}`,
      data,
      'application/octet-stream',
    );
  }

  /** Downloads one artifact through the server's proxy. */
  getArtifact(artifactPath: string): Promise<Buffer> {
    const encoded = artifactPath.split('/').map(encodeURIComponent).join('/');
    return this.request<Buffer>(
      'GET',
      `/api/2.0/mlflow-artifacts/artifacts/${encoded}`,
      undefined,
      undefined,
      true,
    );
  }

  private async request<T>(
    method: string,
    path: string,
    body?: string | Uint8Array,
    contentType?: string,
    binary = false,
  ): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    const attempt = async (): Promise<T> => {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          body,
          headers: {
            ...(contentType ? { 'content-type': contentType } : {}),
            ...(await this.options.auth()),
          },
          signal: AbortSignal.timeout(this.options.timeoutSeconds * 1000),
        });
      } catch (error) {
        throw new TrackingUnavailableError(
          `${method} ${url} failed: ${describeNetworkError(error)}`,
          { cause: error },
        );
      }
      if (response.ok && binary) return Buffer.from(await response.arrayBuffer()) as T;
      const text = await response.text();
      if (response.ok) return (text ? JSON.parse(text) : {}) as T;
      let errorCode: string | undefined;
      let message = text.slice(0, 500);
      try {
        const parsed = JSON.parse(text) as { error_code?: string; message?: string };
        errorCode = parsed.error_code;
        message = parsed.message ?? message;
      } catch {
        // Not JSON (a proxy's HTML page, say): keep the text.
      }
      if (RETRYABLE_STATUS.has(response.status)) {
        throw new TrackingUnavailableError(
          `${method} ${url} answered ${response.status}: ${message}`,
        );
      }
      throw new TrackingRequestError(
        `${method} ${url} answered ${response.status}${errorCode ? ` ${errorCode}` : ''}: ${message}`,
        response.status,
        errorCode,
      );
    };
    return backOff(attempt, {
      numOfAttempts: this.options.maxRetries + 1,
      startingDelay: this.options.backoffSeconds * 1000,
      timeMultiple: 2,
      maxDelay: 60_000,
      jitter: 'full',
      retry: (error) => error instanceof TrackingUnavailableError,
    });
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if ((error as Error)?.name === 'TimeoutError') return 'timed out';
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}

/** The server's "no such model, version or alias" as a ModelNotFoundError; any other error as it is. */
export function asModelNotFound(error: unknown, message: string): unknown {
  return error instanceof TrackingRequestError &&
    (error.errorCode === 'RESOURCE_DOES_NOT_EXIST' ||
      error.errorCode === 'INVALID_PARAMETER_VALUE' ||
      error.status === 404)
    ? new ModelNotFoundError(message)
    : error;
}
