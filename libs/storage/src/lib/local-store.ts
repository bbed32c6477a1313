import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { BlobNotFoundError, type BlobStore } from './blob-store';

/** Plain paths and `file://` URIs on the local disk. */
export class LocalStore implements BlobStore {
  readonly schemes = ['', 'file'] as const;

  async read(uri: string): Promise<Buffer> {
    try {
      return await readFile(toPath(uri));
    } catch (error) {
      throw notFoundOr(error, uri);
    }
  }

  async write(uri: string, data: Uint8Array | string): Promise<void> {
    const path = toPath(uri);
    await mkdir(dirname(path), { recursive: true });
    // Write beside the target, then rename: a crash never leaves a half-written file.
    const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
    try {
      await writeFile(temporary, data);
      await rename(temporary, path);
    } catch (error) {
      // A full or read-only disk: leave nothing half-written behind.
      await rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  async exists(uri: string): Promise<boolean> {
    try {
      await stat(toPath(uri));
      return true;
    } catch {
      return false;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const root = toPath(prefix);
    const found: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else found.push(full);
      }
    };
    await walk(root);
    // Answer in the caller's own form (relative path or file:// URI).
    const base = prefix.replace(/\/+$/, '');
    return found.map((path) => `${base}/${relative(root, path).split('\\').join('/')}`).sort();
  }

  async delete(uri: string): Promise<void> {
    await rm(toPath(uri), { force: true });
  }

  createReadStream(uri: string): Readable {
    return createReadStream(toPath(uri));
  }

  createWriteStream(uri: string): Writable {
    const path = toPath(uri);
    // Streams are for large files; the folder is made synchronously so the stream can open at once.
    mkdirSync(dirname(path), { recursive: true });
    return createWriteStream(path);
  }
}

function toPath(uri: string): string {
  return uri.startsWith('file://') ? fileURLToPath(uri) : resolve(uri);
}

function notFoundOr(error: unknown, uri: string): unknown {
  return (error as NodeJS.ErrnoException).code === 'ENOENT' ? new BlobNotFoundError(uri) : error;
}
