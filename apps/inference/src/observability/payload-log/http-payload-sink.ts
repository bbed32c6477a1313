import type { PayloadSink, PredictionEvent } from './payload-event';

/** Events on their way at once; beyond this the sink is not keeping up and events are dropped. */
const MAX_IN_FLIGHT = 64;
const TIMEOUT_MS = 5000;

/**
 * POSTs each event as KServe's payload logger does: CloudEvents HTTP binary mode, the attributes
 * as `ce-` headers and the prediction as the JSON body, to a broker, a Knative sink or any
 * collector. A slow or failing sink costs dropped events (counted), never a slower answer.
 */
export class HttpPayloadSink implements PayloadSink {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    readonly url: string,
    private readonly onDrop: (reason: 'overflow' | 'failed') => void,
  ) {}

  send(event: PredictionEvent): void {
    if (this.inFlight.size >= MAX_IN_FLIGHT) return this.onDrop('overflow');
    const { data, datacontenttype, ...attributes } = event;
    const headers: Record<string, string> = { 'content-type': datacontenttype };
    for (const [name, value] of Object.entries(attributes)) headers[`ce-${name}`] = String(value);
    const sent = fetch(this.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(data),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
      .then(async (response) => {
        await response.arrayBuffer().catch(() => undefined);
        if (!response.ok) this.onDrop('failed');
      })
      .catch(() => this.onDrop('failed'))
      .finally(() => this.inFlight.delete(sent));
    this.inFlight.add(sent);
  }

  async close(): Promise<void> {
    await Promise.all(this.inFlight);
  }
}
