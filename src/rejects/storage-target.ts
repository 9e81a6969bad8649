import type { Writable } from 'node:stream';

/** One file of rejects being written. */
export interface StoredObject {
  /** The file's bytes go here, in order; end it to store the file. */
  body: Writable;
  /** Resolves once the file is durably stored (after `body` ends); rejects when it cannot be. */
  stored: Promise<void>;
  /** Gives the file up: nothing of it is kept. */
  abort(): Promise<void>;
}

/** Where files of rejects go: an S3 bucket or a local folder. */
export interface StorageTarget {
  /** The file `key` as the user finds it (s3://bucket/key, or a path). */
  where(key: string): string;
  open(key: string): StoredObject;
  /** Writes and deletes a small object, to prove that files can be stored; throws a StorageError otherwise. */
  probe(): Promise<void>;
  close(): void;
}

export type StorageProblem = 'credentials' | 'no_bucket' | 'access_denied' | 'unreachable' | 'other';

/** Storing rejects failed; `problem` tells which of the causes a user can fix. */
export class StorageError extends Error {
  override readonly name = 'StorageError';

  constructor(
    message: string,
    readonly problem: StorageProblem,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
