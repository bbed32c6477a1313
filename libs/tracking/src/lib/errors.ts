/** The store could not be reached (network error, timeout, 5xx after retries): worth spooling. */
export class TrackingUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TrackingUnavailableError';
  }
}

/** The store refused a request (4xx): a bug or bad input, not worth retrying. */
export class TrackingRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly errorCode?: string,
  ) {
    super(message);
    this.name = 'TrackingRequestError';
  }
}

/** The registry has no such model, version or alias. */
export class ModelNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelNotFoundError';
  }
}
