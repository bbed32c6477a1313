import * as tf from '@tensorflow/tfjs';
import {
  BackendUnavailableError,
  firstLine,
  loadOptional,
  type ComputeBackend,
} from './compute-backend';

interface TfjsNode {
  version: Record<string, string>;
}

/** Both native packages register the tfjs backend `tensorflow`; a process can hold only one. */
let loadedPackage: string | undefined;

/**
 * Native TensorFlow through `@tensorflow/tfjs-node` (CPU) or `@tensorflow/tfjs-node-gpu` (CUDA).
 * Both register as tfjs backend `tensorflow`, so only one of them can be loaded in a process.
 */
export class TensorflowBackend implements ComputeBackend {
  readonly tfjsName = 'tensorflow';
  private binding?: TfjsNode;

  constructor(
    readonly name: 'tensorflow' | 'tensorflow-gpu',
    private readonly packageName = name === 'tensorflow'
      ? '@tensorflow/tfjs-node'
      : '@tensorflow/tfjs-node-gpu',
  ) {}

  async activate(): Promise<void> {
    if (loadedPackage && loadedPackage !== this.packageName) {
      throw new BackendUnavailableError(
        this.name,
        `${loadedPackage} is already loaded in this process`,
        'Use one native backend per process.',
      );
    }
    // TensorFlow's C++ INFO lines (oneDNN, CPU features) drown the trainer's own output.
    process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '1';
    try {
      this.binding = loadOptional<TfjsNode>(this.packageName);
      loadedPackage = this.packageName;
    } catch (error) {
      throw new BackendUnavailableError(
        this.name,
        `${this.packageName} could not be loaded (${firstLine(error)})`,
        this.remedy(),
      );
    }
    if (!(await tf.setBackend(this.tfjsName))) {
      throw new BackendUnavailableError(
        this.name,
        `${this.packageName} loaded but its backend did not initialise`,
        this.remedy(),
      );
    }
  }

  describe(): string {
    const version = this.binding?.version?.['tfjs-node'] ?? 'unknown';
    const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding;
    return `${this.packageName} ${version}, TensorFlow ${binding?.TF_Version ?? 'unknown'}`;
  }

  private remedy(): string {
    return this.name === 'tensorflow'
      ? "Run `npm run setup`, which builds it against the TensorFlow C library from PyPI's tensorflow-cpu wheel when the prebuilt download is unreachable, or set TFJS_BACKEND=wasm."
      : 'Install it with `npm install @tensorflow/tfjs-node-gpu` on a machine with CUDA 11.2 and cuDNN 8.1 (the GPU trainer image has both), or set TFJS_BACKEND=tensorflow.';
  }
}
