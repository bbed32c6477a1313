import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  BackendUnavailableError,
  firstLine,
  loadOptional,
  type ComputeBackend,
} from './compute-backend';
import { registerTensorflowKernels, type KernelReplacement } from './tensorflow-kernels';

interface TfjsNode {
  version: Record<string, string>;
}

/**
 * Why a native package cannot load, without loading it: not installed, or installed without its
 * compiled addon (`npm ci` skips install scripts for these packages; `npm run setup` builds it).
 */
export function missingAddon(packageName: string): string | undefined {
  let packageJson: string;
  try {
    packageJson = require.resolve(`${packageName}/package.json`);
  } catch {
    return `${packageName} is not installed`;
  }
  const folder = dirname(packageJson);
  const libs = join(folder, 'lib');
  const built =
    existsSync(libs) &&
    readdirSync(libs).some((dir) => existsSync(join(libs, dir, 'tfjs_binding.node')));
  return built ? undefined : `${packageName} is installed but its native addon is not built`;
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
  private kernels?: KernelReplacement;

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
    // Requiring a package whose addon was never built half-registers its kernels; look first.
    const missing = missingAddon(this.packageName);
    if (missing) throw new BackendUnavailableError(this.name, missing, this.remedy());
    // TensorFlow's C++ INFO lines (oneDNN, CPU features) drown the trainer's own output.
    process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '1';
    try {
      this.binding = loadOptional<TfjsNode>(this.packageName);
      loadedPackage = this.packageName;
      this.kernels = registerTensorflowKernels(this.packageName);
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
    const kernels = !this.kernels
      ? ''
      : this.kernels.missing
        ? `; no compiled kernels (${this.kernels.missing})`
        : `; compiled kernels: ${this.kernels.compiled.join(', ')}`;
    return `${this.packageName} ${version}, TensorFlow ${binding?.TF_Version ?? 'unknown'}${kernels}`;
  }

  private remedy(): string {
    return this.name === 'tensorflow'
      ? "Run `npm run setup`, which builds it against the TensorFlow C library from PyPI's tensorflow-cpu wheel when the prebuilt download is unreachable, or set TFJS_BACKEND=wasm."
      : 'Build its addon on a machine with CUDA 11.2 and cuDNN 8.1 (`node scripts/install.js gpu download` in node_modules/@tensorflow/tfjs-node-gpu; the GPU trainer image does this), or set TFJS_BACKEND=tensorflow.';
  }
}
