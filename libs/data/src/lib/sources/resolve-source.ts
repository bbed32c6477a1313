import type { BlobStore } from '@mnist-mlops/storage';
import type { DatasetSource } from '../mnist/mnist-dataset';
import { EmbeddedMnistSource } from './embedded-source';
import { StoreDatasetSource } from './store-source';

/** `embedded` -> the bundled MNIST; anything else is a folder location on the BlobStore. */
export function resolveDatasetSource(dataSource: string, store: BlobStore): DatasetSource {
  return dataSource === 'embedded'
    ? new EmbeddedMnistSource()
    : new StoreDatasetSource(store, dataSource);
}
