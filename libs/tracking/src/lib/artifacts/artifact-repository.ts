/**
 * Where a run's and a logged model's files live, as MLflow's artifact repositories: one per
 * artifact root, chosen by the root's URI scheme.
 */
export interface ArtifactRepository {
  /** The artifact root it serves. */
  readonly uri: string;
  /** One file below the root (`plots/roc_digit_3.png`). */
  read(path: string): Promise<Buffer>;
  write(path: string, data: Uint8Array): Promise<void>;
}

/** Reads one file below any artifact URI (`runs:/…`, `models:/…`, `mlflow-artifacts:/…`, `file://…`, `gs://…`). */
export interface ArtifactReader {
  read(artifactUri: string, path: string): Promise<Buffer>;
}

/** Writes one file below any artifact URI. */
export interface ArtifactWriter {
  write(artifactUri: string, path: string, data: Uint8Array): Promise<void>;
}

/** No repository serves the URI's scheme here. */
export class UnsupportedArtifactUriError extends Error {
  constructor(uri: string, reason: string) {
    super(`cannot use artifact location ${uri}: ${reason}`);
    this.name = 'UnsupportedArtifactUriError';
  }
}

/** `gs` for `gs://b/k`, `mlflow-artifacts` for `mlflow-artifacts:/1/…`, `` for a plain path. */
export function artifactScheme(uri: string): string {
  return /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1].toLowerCase() ?? '';
}
