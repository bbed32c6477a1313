import {
  defineParams,
  integer,
  oneOf,
  optionalText,
  real,
  text,
  type ConfigOf,
} from '@mnist-mlops/config';
import { LOG_LEVELS } from '@mnist-mlops/logging';
import { COMPUTE_BACKENDS } from '@mnist-mlops/compute';
import { INFERENCE_ENGINES } from '@mnist-mlops/model';
import { STORAGE_PARAMS } from '@mnist-mlops/storage';
import { TRACKING_PARAMS } from '@mnist-mlops/tracking';

const { mlflowTrackingUri } = TRACKING_PARAMS;

/** Settings of the inference service, from params.env, the environment and flags like the trainer's. */
export const SERVING_PARAMS = defineParams({
  port: {
    schema: integer({ min: 0, max: 65535 }),
    default: '8080',
    description: 'HTTP port (0 = any free port)',
  },
  host: { schema: text(), default: '0.0.0.0', description: 'Address to listen on' },
  modelUri: {
    schema: text(),
    default: 'models:/mnist-cnn@champion',
    description:
      'The model: models:/<name>@<alias> or models:/<name>/<version> from the MLflow registry, models:/m-<id> (a logged model), or a folder (path, file://, gs://) with model.json, or a folder of numbered versions (the latest is served)',
  },
  modelPollSeconds: {
    schema: integer({ min: 0, max: 86400 }),
    default: '0',
    description: 'Check MODEL_URI for a new version this often and swap it in (0 = only on SIGHUP)',
  },
  maxUploadBytes: {
    schema: integer({ min: 1024, max: 1024 ** 3 }),
    default: String(10 * 1024 * 1024),
    description: 'Largest accepted image file, in bytes (larger: 413)',
  },
  maxImagePixels: {
    schema: integer({ min: 784, max: 1_000_000_000 }),
    default: String(50_000_000),
    description:
      'Largest accepted image, in pixels, checked from the header before decoding (larger: 413)',
  },
  maxBatchImages: {
    schema: integer({ min: 1, max: 1024 }),
    default: '64',
    description: 'Images accepted by one POST /predict/batch',
  },
  maxBatchSize: {
    schema: integer({ min: 1, max: 1024 }),
    default: '64',
    description:
      'Most images in one model call when concurrent requests are batched together (a bigger request goes alone)',
  },
  maxBatchWaitMs: {
    schema: integer({ min: 0, max: 1000 }),
    default: '0',
    description:
      'How long the first request of a batch may wait for others, in ms (0 = batch what arrives in the same event-loop turn)',
  },
  driftWindow: {
    schema: integer({ min: 10, max: 1_000_000 }),
    default: '1000',
    description:
      'Drift scores (GET /metrics drift_psi) compare the last this many predictions with the training reference',
  },
  lowConfidenceBelow: {
    schema: real({ min: 0, max: 1 }),
    default: '0.6',
    description:
      'A prediction less confident than this counts as low confidence (prediction_low_confidence_share)',
  },
  payloadLog: {
    schema: optionalText(),
    default: '',
    description:
      'Log sampled predictions as CloudEvents: a file of JSON lines (path or file://) or an HTTP sink (http(s)://); empty = off',
  },
  payloadLogSample: {
    schema: real({ min: 0, max: 1 }),
    default: '1',
    description: 'Share of predictions written to PAYLOAD_LOG (0 to 1)',
  },
  workers: {
    schema: integer({ min: 0, max: 256 }),
    default: '0',
    description: 'Worker processes (0 = one per CPU core, 1 = no cluster)',
  },
  requestTimeoutSeconds: {
    schema: integer({ min: 1, max: 3600 }),
    default: '30',
    description:
      'A request must arrive whole (headers and body) within this long, or it is answered 408',
  },
  shutdownTimeoutSeconds: {
    schema: integer({ min: 1, max: 3600 }),
    default: '25',
    description: 'On SIGTERM, how long in-flight requests may take before the process exits anyway',
  },
  tfjsBackend: {
    schema: oneOf(COMPUTE_BACKENDS),
    // Measured with `nx run bench:serve`: for one small image at a time WebAssembly (XNNPACK, one
    // thread per worker) beats the native backend, whose per-op overhead dominates at batch 1.
    default: 'wasm',
    description:
      'tfjs compute backend: loads the model and checks every engine, and runs predictions when INFERENCE_ENGINE=tfjs (wasm is the fastest for single images)',
  },
  inferenceEngine: {
    schema: oneOf(INFERENCE_ENGINES),
    // Measured with `nx run bench:engines`: ONNX Runtime's native kernels run the model 3.3-4.1
    // times faster than XNNPACK on WebAssembly, and its per-call cost is small at batch 1.
    default: 'onnxruntime',
    description:
      'What runs the model: onnxruntime (the model exported to ONNX, native CPU kernels) or tfjs (TFJS_BACKEND); onnxruntime falls back to tfjs, with a warning, when it cannot load or its answers differ',
  },
  logLevel: {
    schema: oneOf(LOG_LEVELS),
    default: 'info',
    description: 'Least severe log level written (JSON lines)',
  },
  mlflowTrackingUri,
  ...STORAGE_PARAMS,
});

export type ServingConfig = ConfigOf<typeof SERVING_PARAMS>;
