import type { ComputeBackendName } from './backend-names';

/** A tfjs compute backend that can be loaded on demand. */
export interface ComputeBackend {
  /** The name users choose with TFJS_BACKEND. */
  readonly name: Exclude<ComputeBackendName, 'auto'>;
  /** The name tfjs registers it under (`tensorflow` for both native ones). */
  readonly tfjsName: string;
  /** Loads the backend's package and makes it tfjs's current backend. */
  activate(): Promise<void>;
  /** One line for logs: library version, threads, SIMD. */
  describe(): string;
}

/** The backend cannot be loaded here; the message says why and how to install it. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: string,
    readonly reason: string,
    readonly remedy: string,
  ) {
    super(`the ${backend} backend is not available: ${reason}. ${remedy}`);
    this.name = 'BackendUnavailableError';
  }
}

/** Loads a module by name at run time, so that a missing optional package costs nothing until asked for. */
export function loadOptional<T>(moduleName: string): T {
  return require(moduleName) as T;
}

/** The first line of an error, without the require stack that Node appends. */
export function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0];
}
