import { Counter } from 'prom-client';
import { inject, injectable } from 'tsyringe';
import { LOGGER, type Logger } from '@mnist-mlops/logging';
import type { ServingConfig } from '../../serving-params';
import { SERVING_CONFIG } from '../../tokens';
import { ServingMetrics } from '../metrics';
import { FilePayloadSink } from './file-payload-sink';
import { HttpPayloadSink } from './http-payload-sink';
import { predictionEvent, type PayloadSink, type PredictionPayload } from './payload-event';

/**
 * Sampled payload logging (PAYLOAD_LOG, PAYLOAD_LOG_SAMPLE): a share of the predictions, each as
 * a CloudEvent with the request id, the model version, the answer and the 28x28 the model saw,
 * to a file of JSON lines or an HTTP sink. Off when PAYLOAD_LOG is empty.
 */
@injectable()
export class PayloadLogger {
  private readonly sink?: PayloadSink;
  private readonly logged: Counter;
  private readonly dropped: Counter;

  constructor(
    @inject(SERVING_CONFIG) private readonly config: ServingConfig,
    @inject(ServingMetrics) metrics: ServingMetrics,
    @inject(LOGGER) logger: Logger,
  ) {
    this.logged = new Counter({
      name: 'payload_log_events_total',
      help: 'Predictions sent to the payload log',
      registers: [metrics.registry],
    });
    this.dropped = new Counter({
      name: 'payload_log_dropped_total',
      help: 'Payload log events lost because the sink failed or could not keep up',
      labelNames: ['reason'],
      registers: [metrics.registry],
    });
    const target = config.payloadLog;
    if (!target) return;
    this.sink = /^https?:\/\//.test(target)
      ? new HttpPayloadSink(target, (reason) => this.dropped.inc({ reason }))
      : new FilePayloadSink(target.replace(/^file:\/\//, ''), (error) => {
          this.dropped.inc({ reason: 'failed' });
          logger.error({ err: error }, `payload log ${target} cannot be written; events are lost`);
        });
  }

  get enabled(): boolean {
    return this.sink !== undefined;
  }

  /** Whether to log the next prediction: PAYLOAD_LOG_SAMPLE of them, at random. */
  sampled(): boolean {
    return this.sink !== undefined && Math.random() < this.config.payloadLogSample;
  }

  log(payload: PredictionPayload): void {
    if (!this.sink) return;
    this.sink.send(predictionEvent(payload));
    this.logged.inc();
  }

  close(): Promise<void> {
    return this.sink?.close() ?? Promise.resolve();
  }
}
