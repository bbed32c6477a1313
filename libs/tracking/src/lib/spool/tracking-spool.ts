import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalStore } from '@mnist-mlops/storage';
import type { Logger } from '@mnist-mlops/logging';
import { TrackingUnavailableError } from '../errors';
import type { RunWriter, Tracking } from '../tracking';
import { journalLine } from './journal';
import { OFFLINE_MODEL_PREFIX, OFFLINE_RUN_PREFIX, type SpooledOp } from './spooled-op';
import { replaySpool, type ReplayResult } from './replay';
import { SpoolingArtifactWriter } from './spooling-artifact-writer';
import { SpoolingRegistryWriter } from './spooling-registry-writer';
import { SpoolingTrackingWriter } from './spooling-tracking-writer';

/**
 * Keeps a run going when the MLflow server goes away. The first write that fails for want of
 * the server (after the client's retries) switches the spool offline, and that write and every
 * later one go to a journal per run (`<spool>/<run id>.jsonl`, files copied beside it).
 * `writer` puts it in front of the real stores' writes; reads never go through it.
 * `replay` sends the journals later, exactly once.
 */
export class TrackingSpool {
  private offline = false;
  private sequence = 0;
  private lastRunId?: string;
  private readonly files = new LocalStore();
  /** The run each logged model belongs to: its writes go in that run's journal. */
  private readonly runOfModel = new Map<string, string>();
  /** The run of each artifact root written through the spool, for the journal of its files. */
  private readonly runOfArtifactRoot = new Map<string, string>();

  constructor(
    readonly dir: string,
    /** The server, for messages. */
    readonly location: string,
    private readonly logger?: Logger,
  ) {}

  get isOffline(): boolean {
    return this.offline;
  }

  /** The writes of `direct`, falling back to the journal from the first outage on. */
  writer(direct: RunWriter): RunWriter {
    return {
      store: new SpoolingTrackingWriter(this, direct.store),
      registry: new SpoolingRegistryWriter(this, direct.registry),
      artifacts: new SpoolingArtifactWriter(this, direct.artifacts),
    };
  }

  /** Sends every journal to `target` (the real stores), in order, and deletes it when done. */
  replay(target: Pick<Tracking, 'store' | 'registry' | 'artifacts'>): Promise<ReplayResult> {
    return replaySpool(this.dir, target, this.logger);
  }

  /**
   * Sends a write of a run while the server answers; undefined when it cannot go (offline, or
   * about a run or model that exists only in the journal), and then the caller journals it.
   */
  async trySend<T>(
    runId: string | undefined,
    modelIds: readonly (string | undefined)[],
    send: () => Promise<T>,
  ): Promise<{ value: T } | undefined> {
    if (runId) this.lastRunId = runId;
    if (
      this.offline ||
      runId?.startsWith(OFFLINE_RUN_PREFIX) ||
      modelIds.some((id) => id?.startsWith(OFFLINE_MODEL_PREFIX))
    )
      return undefined;
    try {
      return { value: await send() };
    } catch (error) {
      this.goOffline(error);
      return undefined;
    }
  }

  /** trySend, then the journal: for writes that give nothing back. */
  async write(
    runId: string,
    send: () => Promise<void>,
    op: SpooledOp,
    modelIds: readonly (string | undefined)[] = [],
  ): Promise<void> {
    if (!(await this.trySend(runId, modelIds, send))) await this.journal(runId, op);
  }

  /** Appends one write to the run's journal. */
  async journal(runId: string, op: SpooledOp): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const line = journalLine({ seq: ++this.sequence, at: Date.now(), ...op });
    await appendFile(join(this.dir, `${runId}.jsonl`), line);
  }

  /** Keeps a file's bytes beside the journals; the name to put in its journal line. */
  async keepFile(runId: string, data: Uint8Array): Promise<string> {
    const file = join(runId, 'files', randomUUID());
    await this.files.write(join(this.dir, file), data);
    return file;
  }

  /** Remembers a run (or a model of it) so that later writes about it go in its journal. */
  adopt(runId: string, artifactRoot: string, modelId?: string): void {
    this.lastRunId = runId;
    this.runOfArtifactRoot.set(artifactRoot.replace(/\/+$/, ''), runId);
    if (modelId) this.runOfModel.set(modelId, runId);
  }

  runOf(modelId: string): string | undefined {
    return this.runOfModel.get(modelId);
  }

  /**
   * The run whose journal takes a write that belongs to no run (an alias) or to an artifact
   * root the spool has not seen: the run this spool last wrote for.
   */
  currentRun(what: string): string {
    if (!this.lastRunId) throw new Error(`cannot spool ${what}: no run has been written`);
    return this.lastRunId;
  }

  /** The run an artifact URI belongs to: by the roots seen, else the run last written. */
  runOfArtifact(uri: string): string {
    const offline = /^spool:([^/]+)/.exec(uri);
    if (offline) return offline[1];
    let best: { root: string; runId: string } | undefined;
    for (const [root, runId] of this.runOfArtifactRoot)
      if ((uri === root || uri.startsWith(`${root}/`)) && root.length > (best?.root.length ?? -1))
        best = { root, runId };
    return best?.runId ?? this.currentRun(`a file for ${uri}`);
  }

  private goOffline(error: unknown): void {
    if (!(error instanceof TrackingUnavailableError)) throw error;
    if (!this.offline) {
      this.logger?.warn(
        `MLflow at ${this.location} is unreachable (${error.message}); the run goes on and its tracking data is kept in ${this.dir}. ` +
          'Send it later with `npx nx run trainer:replay`.',
      );
    }
    this.offline = true;
  }
}
