import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';

export const MLMODEL = 'MLmodel';
export const INPUT_EXAMPLE = 'input_example.json';
/** Our flavor: the TensorFlow.js layers format (model.json and its weights). */
export const TFJS_FLAVOR = 'tensorflowjs_layers';

export interface MlmodelFields {
  modelId: string;
  runId: string;
  /** [batch, ...] with -1 (or null) for the batch. */
  inputShape: readonly (number | null)[];
  outputShape: readonly (number | null)[];
  tfjsVersion: string;
  createdAt?: Date;
}

const tensorSpec = (shape: readonly (number | null)[]) =>
  JSON.stringify([
    { type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: shape.map((d) => d ?? -1) } },
  ]);

/**
 * The MLmodel file MLflow writes beside a model's files: the flavor, the signature as tensor
 * specs (what `mlflow.models.get_model_info(...).signature` reads) and where the input example is.
 */
export function mlmodelFile(fields: MlmodelFields): string {
  const created = (fields.createdAt ?? new Date())
    .toISOString()
    .replace('T', ' ')
    .replace('Z', '000');
  return stringify({
    artifact_path: 'model',
    flavors: {
      [TFJS_FLAVOR]: {
        format: 'layers-model',
        model_json: 'model.json',
        weights: 'weights.bin',
        tfjs_version: fields.tfjsVersion,
      },
    },
    model_id: fields.modelId,
    model_uuid: randomUUID().replace(/-/g, ''),
    run_id: fields.runId,
    saved_input_example_info: {
      artifact_path: INPUT_EXAMPLE,
      type: 'ndarray',
      format: 'tf-serving',
    },
    signature: {
      inputs: tensorSpec(fields.inputShape),
      outputs: tensorSpec(fields.outputShape),
      params: null,
    },
    utc_time_created: created,
  });
}

/** An input example as MLflow saves an ndarray one (TF Serving's `inputs` format). */
export function inputExampleFile(example: number[][][][]): string {
  return JSON.stringify({ inputs: example });
}
