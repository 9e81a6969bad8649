import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import type { LocalStorageConfig } from '../config/object-storage.js';
import { StorageError, type StorageTarget, type StoredObject } from './storage-target.js';

/** Rejects are customer data: readable by the owner only. */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
/** A file being written; renamed to its name once complete, so a file without it is always whole. */
const PARTIAL = '.partial';

/** The `Local` extension: the same files as in S3, in a folder the user chose. They outlive the sync on purpose. */
export class LocalTarget implements StorageTarget {
  private readonly root: string;

  constructor(config: LocalStorageConfig) {
    this.root = path.resolve(config.path);
  }

  where(key: string): string {
    return path.join(this.root, key);
  }

  open(key: string): StoredObject {
    const file = this.where(key);
    const partial = file + PARTIAL;
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: DIR_MODE });
    } catch (error) {
      throw storageError(file, error);
    }
    // `wx`: two runs never write into one file; `flush`: the data is on disk before the file is renamed.
    const body = createWriteStream(partial, { flags: 'wx', mode: FILE_MODE, flush: true });
    const stored = finished(body).then(
      () => rename(partial, file),
      (error: unknown) => {
        throw storageError(file, error);
      },
    );
    stored.catch(() => undefined);
    return {
      body,
      stored,
      abort: async () => {
        body.destroy();
        await rm(partial, { force: true });
      },
    };
  }

  async probe(): Promise<void> {
    const file = path.join(this.root, `_airbyte_connection_test_${randomUUID()}`);
    try {
      await mkdir(this.root, { recursive: true, mode: DIR_MODE });
      await writeFile(file, 'check', { mode: FILE_MODE });
      await rm(file);
    } catch (error) {
      throw new StorageError(`Cannot write rejected records to the folder ${this.root}: ${error instanceof Error ? error.message : String(error)}`, 'access_denied', { cause: error });
    }
  }

  close(): void {}
}

function storageError(file: string, error: unknown): StorageError {
  return new StorageError(`Could not write ${file}: ${error instanceof Error ? error.message : String(error)}`, 'other', { cause: error });
}
