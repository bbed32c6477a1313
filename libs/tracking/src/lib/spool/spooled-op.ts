import type { DatasetInput, Metric, Param, RunStatus, Tag } from '../entities';

/** A write that could not reach the server, as kept on disk until replayed. */
export type SpooledOp =
  | { op: 'createRun'; experimentName: string; runName: string; startTime: number; tags: Tag[] }
  | { op: 'logBatch'; metrics?: Metric[]; params?: Param[]; tags?: Tag[] }
  | { op: 'updateRun'; status: RunStatus; endTime: number }
  | { op: 'logInputs'; datasets: DatasetInput[] }
  /** A file below `uri` (a journal written before URIs were kept means the run's own root). */
  | { op: 'logArtifact'; uri?: string; artifactPath: string; file: string }
  | {
      op: 'createLoggedModel';
      modelId: string;
      name: string;
      modelType: string;
      params: Param[];
      tags?: Tag[];
    }
  /** Written by earlier versions only: a file of a logged model. */
  | { op: 'logModelArtifact'; modelId: string; artifactPath: string; file: string }
  | { op: 'finalizeLoggedModel'; modelId: string; status: 'READY' | 'FAILED' }
  | { op: 'logOutputs'; models: { modelId: string; step: number }[] }
  | { op: 'createModelVersion'; name: string; artifactPath?: string; modelId?: string }
  | { op: 'setRegisteredModelAlias'; name: string; alias: string; version: string };

export const OFFLINE_RUN_PREFIX = 'offline-';
/** A logged model created while offline, until the replay creates it on the server. */
export const OFFLINE_MODEL_PREFIX = 'offline-model-';
export const OFFLINE_EXPERIMENT_PREFIX = 'offline-experiment:';
/** Stands for the version a spooled createModelVersion will get when replayed. */
export const PENDING_VERSION = 'pending';

/** The artifact root of a run created offline: `spool:<run id>`. */
export function offlineRunArtifactUri(runId: string): string {
  return `spool:${runId}`;
}

/** The artifact root of a logged model created offline: `spool:<run id>/models/<model id>`. */
export function offlineModelArtifactUri(runId: string, modelId: string): string {
  return `spool:${runId}/models/${modelId}`;
}
