import * as tf from '@tensorflow/tfjs';
import type { ComputeBackend } from './compute-backend';

/** Pure JavaScript: slow, but always there, and the reference the other backends are checked against. */
export class CpuBackend implements ComputeBackend {
  readonly name = 'cpu' as const;
  readonly tfjsName = 'cpu';

  async activate(): Promise<void> {
    await tf.setBackend(this.tfjsName);
    // Its one-time "install tfjs-node" banner says nothing the backend choice log does not.
    (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  }

  describe(): string {
    return `@tensorflow/tfjs-backend-cpu ${tf.version_core}, pure JavaScript`;
  }
}
