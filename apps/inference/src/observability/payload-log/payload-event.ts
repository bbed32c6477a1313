import { randomUUID } from 'node:crypto';

/** CloudEvents type of one answered prediction, in KServe's logger's naming. */
export const PREDICTION_EVENT_TYPE = 'org.kubeflow.serving.inference.response';
export const EVENT_SOURCE = 'mnist-mlops-inference';

/** What is logged of one prediction: never the uploader's file name or the upload itself. */
export interface PredictionPayload {
  /** The request's id (x-request-id), shared by every picture of one request. */
  requestId: string;
  /** The route that answered: predict, v2, v1. */
  protocol: string;
  model: { name: string; version: string };
  prediction: number;
  confidence: number;
  probabilities: number[];
  /** The 28x28 the model saw, as a PNG data URL. */
  input: string;
}

/** A CloudEvent (specification 1.0, structured JSON) carrying one prediction. */
export interface PredictionEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  datacontenttype: 'application/json';
  /** KServe's logger's extension attributes. */
  inferenceservicename: string;
  component: 'predictor';
  data: PredictionPayload;
}

export function predictionEvent(payload: PredictionPayload): PredictionEvent {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: EVENT_SOURCE,
    type: PREDICTION_EVENT_TYPE,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    inferenceservicename: payload.model.name,
    component: 'predictor',
    data: payload,
  };
}

/** Where sampled predictions go; sending never throws and never holds up an answer. */
export interface PayloadSink {
  send(event: PredictionEvent): void;
  /** Writes out what is still buffered. */
  close(): Promise<void>;
}
