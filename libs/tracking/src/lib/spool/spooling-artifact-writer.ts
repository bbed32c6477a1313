import type { ArtifactWriter } from '../artifacts/artifact-repository';
import type { TrackingSpool } from './tracking-spool';

/** Artifact uploads through the spool: offline, the bytes are kept beside the run's journal. */
export class SpoolingArtifactWriter implements ArtifactWriter {
  constructor(
    private readonly spool: TrackingSpool,
    private readonly inner: ArtifactWriter,
  ) {}

  async write(artifactUri: string, artifactPath: string, data: Uint8Array): Promise<void> {
    const runId = this.spool.runOfArtifact(artifactUri);
    const offlineModel = /^spool:[^/]+\/models\/([^/]+)/.exec(artifactUri)?.[1];
    const sent = await this.spool.trySend(runId, [offlineModel], () =>
      this.inner.write(artifactUri, artifactPath, data),
    );
    if (sent) return;
    const file = await this.spool.keepFile(runId, data);
    await this.spool.journal(runId, { op: 'logArtifact', uri: artifactUri, artifactPath, file });
  }
}
