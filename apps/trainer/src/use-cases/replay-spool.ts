import { inject, injectable } from 'tsyringe';
import { TRACKING, type ReplayResult, type Tracking } from '@mnist-mlops/tracking';
import { OUTPUT } from '../tokens';

/** `trainer:replay`: sends tracking data kept while the MLflow server was unreachable. */
@injectable()
export class ReplaySpool {
  constructor(
    @inject(TRACKING) private readonly tracking: Tracking,
    @inject(OUTPUT) private readonly output: NodeJS.WritableStream,
  ) {}

  async run(): Promise<ReplayResult> {
    const { spool } = this.tracking;
    if (!spool) {
      throw new ReplayNotApplicableError(
        'MLFLOW_TRACKING_URI is not an http(s) MLflow server; only runs sent to a server are spooled',
      );
    }
    const result = await spool.replay(this.tracking);
    this.output.write(
      result.runs.length === 0
        ? `Nothing to replay in ${spool.dir}\n`
        : result.runs
            .map(
              (r) =>
                `Replayed ${r.sent} writes into run ${r.runId} at ${this.tracking.location}` +
                (r.skippedLines.length
                  ? `; skipped ${r.skippedLines.length} damaged journal line(s): ${r.skippedLines.map((s) => `${s.line} (${s.reason})`).join(', ')}`
                  : '') +
                '\n',
            )
            .join(''),
    );
    return result;
  }
}

export class ReplayNotApplicableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayNotApplicableError';
  }
}
