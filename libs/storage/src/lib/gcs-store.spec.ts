import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { startFakeGcsServer, type FakeGcsServer } from '@mnist-mlops/testing';
import { BlobNotFoundError } from './blob-store';
import { GcsStore, parseGsUri } from './gcs-store';
import { createBlobStore } from './register-storage';

describe('GcsStore against fake-gcs-server through the real @google-cloud/storage client', () => {
  let server: FakeGcsServer;
  let store: GcsStore;

  beforeAll(async () => {
    server = await startFakeGcsServer();
    store = new GcsStore({ apiEndpoint: server.endpoint, projectId: 'test' });
    const { Storage } = require('@google-cloud/storage');
    await new Storage({ apiEndpoint: server.endpoint, projectId: 'test' }).createBucket('models');
  });
  afterAll(() => server?.stop());

  it('writes, reads, lists, checks and deletes objects', async () => {
    await store.write('gs://models/mnist-cnn/1/model.json', '{"a":1}');
    await store.write('gs://models/mnist-cnn/1/weights.bin', new Uint8Array([1, 2, 3, 4]));
    await store.write('gs://models/mnist-cnn/2/model.json', '{}');
    expect((await store.read('gs://models/mnist-cnn/1/model.json')).toString()).toBe('{"a":1}');
    expect([...(await store.read('gs://models/mnist-cnn/1/weights.bin'))]).toEqual([1, 2, 3, 4]);
    expect(await store.list('gs://models/mnist-cnn')).toEqual([
      'gs://models/mnist-cnn/1/model.json',
      'gs://models/mnist-cnn/1/weights.bin',
      'gs://models/mnist-cnn/2/model.json',
    ]);
    expect(await store.list('gs://models/mnist-cnn/1/')).toEqual([
      'gs://models/mnist-cnn/1/model.json',
      'gs://models/mnist-cnn/1/weights.bin',
    ]);
    expect(await store.exists('gs://models/mnist-cnn/2/model.json')).toBe(true);
    await store.delete('gs://models/mnist-cnn/2/model.json');
    await store.delete('gs://models/mnist-cnn/2/model.json');
    expect(await store.exists('gs://models/mnist-cnn/2/model.json')).toBe(false);
  });

  it('streams large objects both ways', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 3);
    await pipeline(Readable.from([big]), store.createWriteStream('gs://models/data/big.bin'));
    const chunks: Buffer[] = [];
    for await (const chunk of store.createReadStream('gs://models/data/big.bin'))
      chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(big)).toBe(true);
  });

  it('reports a missing object as not found', async () => {
    await expect(store.read('gs://models/nope.json')).rejects.toEqual(
      new BlobNotFoundError('gs://models/nope.json'),
    );
  });

  it('is what the routing store picks for gs:// locations', async () => {
    const routed = createBlobStore({ gcsApiEndpoint: server.endpoint, gcsProjectId: 'test' });
    await routed.write('gs://models/routed.txt', 'via router');
    expect((await routed.read('gs://models/routed.txt')).toString()).toBe('via router');
  });

  it('parses gs:// URIs', () => {
    expect(parseGsUri('gs://b/a/c.txt')).toEqual({ bucket: 'b', key: 'a/c.txt' });
    expect(parseGsUri('gs://b')).toEqual({ bucket: 'b', key: '' });
    expect(() => parseGsUri('s3://b/k')).toThrow('not a gs:// location: s3://b/k');
  });
});
