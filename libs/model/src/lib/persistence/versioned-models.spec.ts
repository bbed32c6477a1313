import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStore } from '@mnist-mlops/storage';
import { buildCnn } from '../architecture/cnn';
import { activateBackend } from '@mnist-mlops/compute';
import { loadModel } from './model-files-io-handler';
import {
  latestVersionLocation,
  listVersions,
  ModelSaveError,
  nextVersionLocation,
  saveVersion,
  type ModelMetadata,
} from './versioned-models';

/** The real local store, with the disk filling up (or turning read-only) after `allowed` writes. */
class FailingStore extends LocalStore {
  private writes = 0;
  constructor(
    private readonly allowed: number,
    private readonly code: 'ENOSPC' | 'EROFS',
  ) {
    super();
  }
  override async write(uri: string, data: Uint8Array | string): Promise<void> {
    if (++this.writes > this.allowed)
      throw Object.assign(new Error(`${this.code}: injected, write '${uri}'`), { code: this.code });
    return super.write(uri, data);
  }
}

const tinyModel = () =>
  buildCnn({ conv1Filters: 2, conv2Filters: 2, kernelSize: 3, denseUnits: 0, dropout: 0, seed: 1 });
const metadata = (version: number): ModelMetadata => ({
  name: 'cnn',
  version,
  createdAt: new Date(0).toISOString(),
  backend: 'wasm',
  dataset: 'test',
  params: {},
  metrics: {},
});

describe('saving a version whole or not at all', () => {
  beforeAll(() => activateBackend('wasm'));

  it.each([
    [0, 'ENOSPC', /no space left on the device \(ENOSPC\)/],
    [1, 'ENOSPC', /no space left on the device \(ENOSPC\)/],
    [2, 'EROFS', /the file system is read-only \(EROFS\)/],
  ] as const)(
    'a save that fails after %i files (%s) leaves the last whole version the latest',
    async (allowed, code, message) => {
      const dir = mkdtempSync(join(tmpdir(), 'versions-'));
      const local = new LocalStore();
      await saveVersion(local, join(dir, 'cnn/1'), tinyModel(), metadata(1));

      const next = await nextVersionLocation(local, dir, 'cnn');
      expect(next.version).toBe(2);
      const failure = saveVersion(
        new FailingStore(allowed, code),
        next.location,
        tinyModel(),
        metadata(2),
      );
      await expect(failure).rejects.toThrow(ModelSaveError);
      await expect(failure).rejects.toThrow(message);
      await failure.catch((error: Error) => expect(error.message).not.toContain('\n'));

      expect(await listVersions(local, dir, 'cnn')).toEqual([1]);
      expect((await latestVersionLocation(local, dir, 'cnn')).version).toBe(1);
      // Nothing of the failed version is left, not even a temporary file.
      expect(await local.list(join(dir, 'cnn/2'))).toEqual([]);
      await expect(loadModel(local, join(dir, 'cnn/1'))).resolves.toBeDefined();
    },
  );

  it('does not list a version whose model.json was never written, and numbers past it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'versions-'));
    const local = new LocalStore();
    await saveVersion(local, join(dir, 'cnn/1'), tinyModel(), metadata(1));
    // What a process killed between the weights and model.json leaves behind.
    await local.write(join(dir, 'cnn/2/weights.bin'), new Uint8Array(8));
    expect(await listVersions(local, dir, 'cnn')).toEqual([1]);
    expect((await nextVersionLocation(local, dir, 'cnn')).version).toBe(3);
  });
});
