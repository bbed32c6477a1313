import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { BlobNotFoundError } from './blob-store';
import { LocalStore } from './local-store';
import { RoutingStore } from './routing-store';

describe('LocalStore', () => {
  const store = new LocalStore();
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'store-'));
  });

  it('writes, reads, lists and deletes with plain paths and file:// URIs', async () => {
    await store.write(join(root, 'a/b/one.txt'), 'one');
    await store.write(`${pathToFileURL(root).href}/a/two.bin`, new Uint8Array([1, 2, 3]));
    expect((await store.read(join(root, 'a/b/one.txt'))).toString()).toBe('one');
    expect([...(await store.read(join(root, 'a/two.bin')))]).toEqual([1, 2, 3]);
    expect(await store.list(join(root, 'a'))).toEqual([
      join(root, 'a/b/one.txt'),
      join(root, 'a/two.bin'),
    ]);
    expect(await store.list(`${pathToFileURL(root).href}/a/b`)).toEqual([
      `${pathToFileURL(root).href}/a/b/one.txt`,
    ]);
    expect(await store.exists(join(root, 'a/two.bin'))).toBe(true);
    await store.delete(join(root, 'a/two.bin'));
    await store.delete(join(root, 'a/two.bin'));
    expect(await store.exists(join(root, 'a/two.bin'))).toBe(false);
    expect(await store.list(join(root, 'missing'))).toEqual([]);
  });

  it('leaves no temporary files behind after a write', async () => {
    await store.write(join(root, 'x.json'), '{}');
    expect(readdirSync(root)).toEqual(['x.json']);
  });

  it('says which location is missing', async () => {
    await expect(store.read(join(root, 'nope'))).rejects.toEqual(
      new BlobNotFoundError(join(root, 'nope')),
    );
  });

  it('streams large files both ways', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    await pipeline(Readable.from([big]), store.createWriteStream(join(root, 'deep/big.bin')));
    const chunks: Buffer[] = [];
    for await (const chunk of store.createReadStream(join(root, 'deep/big.bin')))
      chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(big)).toBe(true);
  });
});

describe('RoutingStore', () => {
  it('names the supported schemes for a location it cannot serve', () => {
    const store = new RoutingStore([new LocalStore()]);
    expect(() => store.backendFor('s3://bucket/key')).toThrow(
      'no storage backend for "s3://bucket/key"; supported: plain paths, file://',
    );
  });
});
