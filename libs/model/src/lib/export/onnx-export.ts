import * as tf from '@tensorflow/tfjs';
import { onnx } from 'onnx-proto';

/**
 * A trained sequential model as an ONNX graph (opset 17), so that a runtime with native kernels
 * (ONNX Runtime, as KServe and Triton serve models) can answer with the same weights. The graph
 * takes and gives what the tfjs model does: `input` [n, 28, 28, 1] (NHWC, 0..1) and
 * `probabilities` [n, 10]. Inside it runs channels-first, as ONNX's Conv and MaxPool want, and
 * turns back to channels-last before Flatten so the dense weights see the features in tfjs's order.
 */

export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'probabilities';
const OPSET = 17;
/** ONNX IR version 8 goes with opset 17 (onnx/onnx docs/Versioning.md). */
const IR_VERSION = 8;

/** The model holds a layer (or a setting of one) the export does not know. */
export class OnnxExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxExportError';
  }
}

interface LayerConfig {
  activation?: string;
  strides?: number | [number, number];
  padding?: 'valid' | 'same' | 'causal';
  poolSize?: number | [number, number];
  kernelSize?: number | [number, number];
  dilationRate?: number | [number, number];
  dataFormat?: string;
  epsilon?: number;
  axis?: number | number[];
  center?: boolean;
  scale?: boolean;
}

const pair = (v: number | number[] | undefined, fallback: number): [number, number] =>
  v === undefined ? [fallback, fallback] : typeof v === 'number' ? [v, v] : [v[0], v[1] ?? v[0]];

/** Where the running tensor's channels are: tfjs's order, ONNX's, or flat features. */
type Layout = 'nhwc' | 'nchw' | 'flat';

const ints = (name: string, values: number[]): onnx.IAttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.INTS,
  ints: values,
});
const int = (name: string, value: number): onnx.IAttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.INT,
  i: value,
});
const float = (name: string, value: number): onnx.IAttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.FLOAT,
  f: value,
});
const text = (name: string, value: string): onnx.IAttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.STRING,
  s: new TextEncoder().encode(value),
});

function floatTensor(name: string, dims: number[], values: Float32Array): onnx.ITensorProto {
  return {
    name,
    dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  };
}

function valueInfo(name: string, dims: (number | string)[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

/** tfjs's conv kernel [kh, kw, in, out] in ONNX's order [out, in, kh, kw]. */
function channelsFirstKernel(kernel: tf.Tensor): Float32Array {
  return tf.tidy(() => tf.transpose(kernel, [3, 2, 0, 1]).dataSync() as Float32Array);
}

class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private count = 0;
  layout: Layout = 'nhwc';
  current = ONNX_INPUT;

  /** Adds a node on the running tensor (and any weights); the running tensor is its output. */
  add(opType: string, extraInputs: string[] = [], attribute: onnx.IAttributeProto[] = []): void {
    const output = `${opType.toLowerCase()}_${this.count++}`;
    this.nodes.push({ opType, input: [this.current, ...extraInputs], output: [output], attribute });
    this.current = output;
  }

  weight(name: string, dims: number[], values: Float32Array): string {
    const unique = `${name}_${this.initializers.length}`;
    this.initializers.push(floatTensor(unique, dims, values));
    return unique;
  }

  toLayout(layout: Layout): void {
    if (this.layout === layout) return;
    if (this.layout === 'flat' || layout === 'flat')
      throw new OnnxExportError('a spatial layer after the features were flattened');
    this.add('Transpose', [], [ints('perm', layout === 'nchw' ? [0, 3, 1, 2] : [0, 2, 3, 1])]);
    this.layout = layout;
  }

  activation(name: string | undefined, layer: string): void {
    switch (name ?? 'linear') {
      case 'linear':
        return;
      case 'relu':
        return this.add('Relu');
      case 'softmax':
        // Keras's softmax runs over the last axis: the classes of a flat tensor.
        if (this.layout !== 'flat')
          throw new OnnxExportError(`${layer}: softmax over a spatial tensor`);
        return this.add('Softmax', [], [int('axis', 1)]);
      default:
        throw new OnnxExportError(`${layer}: activation "${name}" is not exported`);
    }
  }
}

function addLayer(graph: GraphBuilder, layer: tf.layers.Layer): void {
  const config = layer.getConfig() as LayerConfig;
  const weights = layer.getWeights();
  const name = `${layer.getClassName()} "${layer.name}"`;
  if (config.dataFormat && config.dataFormat !== 'channelsLast')
    throw new OnnxExportError(`${name}: data format ${config.dataFormat}`);
  const padding = (): onnx.IAttributeProto[] => {
    if (config.padding === 'same') return [text('auto_pad', 'SAME_UPPER')];
    if (config.padding && config.padding !== 'valid')
      throw new OnnxExportError(`${name}: padding "${config.padding}"`);
    return [];
  };
  switch (layer.getClassName()) {
    case 'Conv2D': {
      const [kernel, bias] = weights;
      const [kh, kw, channels, filters] = kernel.shape;
      graph.toLayout('nchw');
      const inputs = [
        graph.weight('kernel', [filters, channels, kh, kw], channelsFirstKernel(kernel)),
      ];
      if (bias) inputs.push(graph.weight('bias', [filters], bias.dataSync() as Float32Array));
      graph.add('Conv', inputs, [
        ints('kernel_shape', [kh, kw]),
        ints('strides', pair(config.strides, 1)),
        ints('dilations', pair(config.dilationRate, 1)),
        ...padding(),
      ]);
      return graph.activation(config.activation, name);
    }
    case 'MaxPooling2D': {
      const size = pair(config.poolSize, 2);
      graph.toLayout('nchw');
      graph.add(
        'MaxPool',
        [],
        [
          ints('kernel_shape', size),
          ints('strides', config.strides === undefined ? size : pair(config.strides, 2)),
          ...padding(),
        ],
      );
      return;
    }
    case 'BatchNormalization': {
      const axis = Array.isArray(config.axis) ? config.axis[0] : config.axis;
      if (axis !== undefined && axis !== -1 && axis !== 3)
        throw new OnnxExportError(`${name}: normalises axis ${axis}`);
      let i = 0;
      const gamma = config.scale === false ? undefined : weights[i++];
      const beta = config.center === false ? undefined : weights[i++];
      const [mean, variance] = [weights[i], weights[i + 1]];
      const channels = mean.shape[0];
      const values = (t: tf.Tensor | undefined, fill: number) =>
        t ? (t.dataSync() as Float32Array) : new Float32Array(channels).fill(fill);
      graph.toLayout('nchw');
      graph.add(
        'BatchNormalization',
        [
          graph.weight('gamma', [channels], values(gamma, 1)),
          graph.weight('beta', [channels], values(beta, 0)),
          graph.weight('mean', [channels], values(mean, 0)),
          graph.weight('variance', [channels], values(variance, 1)),
        ],
        [float('epsilon', config.epsilon ?? 1e-3)],
      );
      return;
    }
    case 'Activation':
      return graph.activation(config.activation, name);
    case 'Flatten':
      // tfjs flattens channels-last: height, width, channel.
      graph.toLayout('nhwc');
      graph.add('Flatten', [], [int('axis', 1)]);
      graph.layout = 'flat';
      return;
    case 'Dropout':
      return;
    case 'Dense': {
      if (graph.layout !== 'flat')
        throw new OnnxExportError(`${name}: a dense layer on a spatial tensor`);
      const [kernel, bias] = weights;
      const [units, outputs] = kernel.shape;
      const inputs = [graph.weight('kernel', [units, outputs], kernel.dataSync() as Float32Array)];
      if (bias) inputs.push(graph.weight('bias', [outputs], bias.dataSync() as Float32Array));
      graph.add('Gemm', inputs);
      return graph.activation(config.activation, name);
    }
    default:
      throw new OnnxExportError(`${name}: this kind of layer is not exported`);
  }
}

/** The serialised ONNX model (a ModelProto). Throws OnnxExportError for what it cannot export. */
export function toOnnx(model: tf.LayersModel): Uint8Array {
  if (!(model instanceof tf.Sequential))
    throw new OnnxExportError('only sequential models are exported');
  const inputShape = model.inputs[0].shape;
  const outputShape = model.outputs[0].shape;
  if (inputShape.length !== 4 || outputShape.length !== 2)
    throw new OnnxExportError(
      `expected an image model [n, h, w, c] -> [n, classes], got ${JSON.stringify(inputShape)} -> ${JSON.stringify(outputShape)}`,
    );
  const graph = new GraphBuilder();
  for (const layer of model.layers) addLayer(graph, layer);
  if (graph.layout !== 'flat') throw new OnnxExportError('the model does not end in flat outputs');
  // The last node writes the graph's output under its public name.
  graph.nodes[graph.nodes.length - 1].output = [ONNX_OUTPUT];
  const [, height, width, channels] = inputShape as number[];
  return onnx.ModelProto.encode({
    irVersion: IR_VERSION,
    producerName: 'mnist-mlops',
    producerVersion: tf.version_layers,
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: model.name,
      node: graph.nodes,
      initializer: graph.initializers,
      input: [valueInfo(ONNX_INPUT, ['batch', height, width, channels])],
      output: [valueInfo(ONNX_OUTPUT, ['batch', outputShape[1] as number])],
    },
  }).finish();
}
