/** The model that answered. */
export interface ModelRef {
  name: string;
  version: string;
}

export interface Prediction {
  /** The most probable digit. */
  prediction: number;
  /** Its probability. */
  confidence: number;
  /** Probability of each digit 0 to 9. */
  probabilities: number[];
  model: ModelRef;
  /** With `include=input`: the 28x28 image the model saw, as a PNG data URL. */
  input?: string;
}

export interface BatchPrediction {
  /** One answer per uploaded image, in upload order. */
  predictions: Prediction[];
  model: ModelRef;
}

export interface ErrorDetail {
  /** Stable machine-readable code, e.g. `MISSING_INPUT`, `UNSUPPORTED_MEDIA_TYPE`. */
  code: string;
  /** What went wrong, for people. */
  message: string;
}

/** Every error answer has this shape. */
export interface ErrorResponse {
  error: ErrorDetail;
}

export interface HealthStatus {
  status: 'ok';
}

export interface ReadinessStatus {
  status: 'ready' | 'loading' | 'draining';
  model?: ModelRef;
}

export interface ModelInfo {
  name: string;
  version: string;
  /** What MODEL_URI named. */
  uri: string;
  /** Where the files were read from. */
  source: string;
  /** [batch, height, width, channels]; batch is null. */
  inputShape: (number | null)[];
  /** ISO time the model was loaded and warmed up. */
  loadedAt: string;
  /** tfjs compute backend the model was loaded and checked on. */
  backend: string;
  /** What runs the model's predictions: runtime, version, device, threads. */
  engine: string;
}

export type IncludeOption = 'input';
