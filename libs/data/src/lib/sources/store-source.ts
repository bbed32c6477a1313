import { resolve } from 'node:path';
import { baseName, joinLocation, schemeOf, type BlobStore } from '@mnist-mlops/storage';
import {
  DatasetError,
  type DatasetOrigin,
  type DatasetSource,
  type MnistFileName,
} from '../mnist/mnist-dataset';

/**
 * A folder of IDX files on any BlobStore (a local path, file:// or gs://). Accepts the names
 * of the original distribution, with or without `.gz`, and the `train-images.idx3-ubyte`
 * spelling of some mirrors.
 */
export class StoreDatasetSource implements DatasetSource {
  readonly description: string;
  readonly origin: DatasetOrigin;
  private listing?: Promise<Set<string>>;

  constructor(
    private readonly store: BlobStore,
    private readonly folder: string,
  ) {
    this.description = `IDX files in ${folder}`;
    const scheme = schemeOf(folder);
    this.origin =
      scheme && scheme !== 'file'
        ? { type: scheme, uri: folder }
        : { type: 'local', uri: scheme ? folder : resolve(folder) };
  }

  async read(name: MnistFileName): Promise<{ bytes: Uint8Array; location: string }> {
    const present = await this.names();
    const dotted = name.replace(/-(idx\d-ubyte)$/, '.$1');
    const candidates = [name, `${name}.gz`, dotted, `${dotted}.gz`];
    const found = candidates.find((candidate) => present.has(candidate));
    if (!found) {
      throw new DatasetError(`${this.folder} has no ${name} (looked for ${candidates.join(', ')})`);
    }
    const location = joinLocation(this.folder, found);
    return { bytes: await this.store.read(location), location };
  }

  private names(): Promise<Set<string>> {
    this.listing ??= this.store.list(this.folder).then((locations) => {
      if (locations.length === 0)
        throw new DatasetError(`dataset folder ${this.folder} is missing or empty`);
      return new Set(locations.map(baseName));
    });
    return this.listing;
  }
}
