import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { PayloadSink, PredictionEvent } from './payload-event';

/**
 * One CloudEvent per line, appended (O_APPEND: the workers of one service can share the file,
 * each line written whole). A full disk or a lost file is reported once, not per prediction.
 */
export class FilePayloadSink implements PayloadSink {
  private readonly stream: WriteStream;

  constructor(
    readonly path: string,
    onError: (error: Error) => void,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.stream = createWriteStream(path, { flags: 'a' });
    let reported = false;
    this.stream.on('error', (error) => {
      if (!reported) onError(error);
      reported = true;
    });
  }

  send(event: PredictionEvent): void {
    if (!this.stream.destroyed) this.stream.write(`${JSON.stringify(event)}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.stream.destroyed) return resolve();
      this.stream.end(() => resolve());
    });
  }
}
