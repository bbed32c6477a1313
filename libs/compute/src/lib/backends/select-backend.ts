import type { ComputeBackendName } from './backend-names';
import { BackendUnavailableError, type ComputeBackend } from './compute-backend';
import { CpuBackend } from './cpu-backend';
import { missingAddon, TensorflowBackend } from './tensorflow-backend';
import { WasmBackend } from './wasm-backend';

export interface ActiveBackend {
  name: Exclude<ComputeBackendName, 'auto'>;
  description: string;
  /** Backends `auto` tried first and why each was passed over. */
  skipped: { name: string; reason: string }[];
}

export function createBackend(name: Exclude<ComputeBackendName, 'auto'>): ComputeBackend {
  switch (name) {
    case 'tensorflow':
    case 'tensorflow-gpu':
      return new TensorflowBackend(name);
    case 'wasm':
      return new WasmBackend();
    case 'cpu':
      return new CpuBackend();
  }
}

/** Fastest first; `auto` takes the first one that loads. */
export const AUTO_ORDER = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;

/**
 * Activates the requested backend. A named backend that cannot load is an error that says how
 * to install it; `auto` falls through the list and reports what it skipped.
 */
export async function activateBackend(requested: ComputeBackendName): Promise<ActiveBackend> {
  if (requested !== 'auto') {
    const backend = createBackend(requested);
    await backend.activate();
    return { name: backend.name, description: backend.describe(), skipped: [] };
  }
  const skipped: ActiveBackend['skipped'] = [];
  for (const name of AUTO_ORDER) {
    // The GPU package is only tried where its addon was built (the GPU image does that).
    const missing =
      name === 'tensorflow-gpu' ? missingAddon('@tensorflow/tfjs-node-gpu') : undefined;
    if (missing) {
      skipped.push({ name, reason: missing });
      continue;
    }
    const backend = createBackend(name);
    try {
      await backend.activate();
      return { name: backend.name, description: backend.describe(), skipped };
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
      skipped.push({ name, reason: error.reason });
    }
  }
  throw new BackendUnavailableError('auto', 'no backend could be loaded', 'Run `npm ci`.');
}
