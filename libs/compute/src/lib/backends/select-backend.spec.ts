import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError } from './compute-backend';
import { activateBackend } from './select-backend';

describe('activateBackend', () => {
  it('activates wasm and cpu by name', async () => {
    expect(await activateBackend('wasm')).toMatchObject({ name: 'wasm', skipped: [] });
    expect(tf.getBackend()).toBe('wasm');
    expect((await activateBackend('cpu')).description).toContain('pure JavaScript');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('says how to install a backend that is not installed', async () => {
    const attempt = activateBackend('tensorflow-gpu');
    await expect(attempt).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(activateBackend('tensorflow-gpu')).rejects.toThrow(
      /the tensorflow-gpu backend is not available: @tensorflow\/tfjs-node-gpu is installed but its native addon is not built\. .*CUDA 11\.2 and cuDNN 8\.1/,
    );
  });

  it('auto skips the GPU package when it is not installed and says so', async () => {
    const active = await activateBackend('auto');
    expect(active.skipped[0]).toEqual({
      name: 'tensorflow-gpu',
      reason: '@tensorflow/tfjs-node-gpu is installed but its native addon is not built',
    });
    expect(['tensorflow', 'wasm']).toContain(active.name);
  });
});
