import type { LoggedModel, ModelVersion, RunInfo } from '../entities';
import type { RegistryWriter } from '../model-registry';
import { PENDING_VERSION } from './spooled-op';
import type { TrackingSpool } from './tracking-spool';

/** The registry's writes through the spool: a version registered offline is `pending` until replayed. */
export class SpoolingRegistryWriter implements RegistryWriter {
  constructor(
    private readonly spool: TrackingSpool,
    private readonly inner: RegistryWriter,
  ) {}

  async createModelVersion(
    name: string,
    run: RunInfo,
    from: { artifactPath: string } | { model: LoggedModel },
  ): Promise<ModelVersion> {
    const modelId = 'model' in from ? from.model.modelId : undefined;
    const sent = await this.spool.trySend(run.runId, [modelId], () =>
      this.inner.createModelVersion(name, run, from),
    );
    if (sent) return sent.value;
    await this.spool.journal(run.runId, {
      op: 'createModelVersion',
      name,
      ...('model' in from ? { modelId } : { artifactPath: from.artifactPath }),
    });
    return {
      name,
      version: PENDING_VERSION,
      source: 'model' in from ? `models:/${modelId}` : `spool:${run.runId}/${from.artifactPath}`,
      runId: run.runId,
      status: 'PENDING_REGISTRATION',
      ...(modelId ? { modelId } : {}),
    };
  }

  async setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    const sent =
      version !== PENDING_VERSION &&
      (await this.spool.trySend(undefined, [], () =>
        this.inner.setRegisteredModelAlias(name, alias, version),
      ));
    if (sent) return;
    // Aliases are not run data, but they follow the registration they point at, so they go in
    // the journal of the run this spool last wrote for.
    await this.spool.journal(this.spool.currentRun(`alias ${alias} of ${name}`), {
      op: 'setRegisteredModelAlias',
      name,
      alias,
      version,
    });
  }
}
