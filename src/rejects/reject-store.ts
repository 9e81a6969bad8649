import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { rowLayout, type LayoutOptions, type RowLayout } from './layout.js';
import { objectKey, type NameFormats } from './object-names.js';
import type { RejectStream, RejectedRow } from './rejected-row.js';
import type { StorageTarget, StoredObject } from './storage-target.js';

const ignore = (): void => undefined;

/** A file rolls (is completed, and the next one started) once this many bytes of rows are in it, before compression. */
export const ROLL_BYTES = 64 * 1024 * 1024;
/** Lines are gathered into writes of about this many characters: one write per line costs more than the line. */
const WRITE_CHARS = 64 * 1024;
/** Past this many rows waiting to be written, callers wait: memory stays bounded when storage is slow. */
const MAX_QUEUED_ROWS = 10_000;

export interface RejectStoreOptions {
  target: StorageTarget;
  layout: LayoutOptions;
  names: NameFormats;
  gzip: boolean;
  rollBytes?: number;
  now?: () => Date;
}

/** A stream of rejects, keyed as the write path keys it (streamKey). */
export interface RejectStreamRef extends RejectStream {
  key: string;
}

class OpenFile {
  bytes = 0;
  private readonly head: Writable;
  private pending = '';

  constructor(
    readonly key: string,
    private readonly object: StoredObject,
    gzip: boolean,
    header: string,
  ) {
    if (gzip) {
      const zip = createGzip();
      zip.pipe(object.body);
      zip.on('error', (error) => object.body.destroy(error));
      this.head = zip;
    } else {
      this.head = object.body;
    }
    this.pending = header;
  }

  async write(text: string): Promise<void> {
    this.bytes += text.length;
    this.pending += text;
    if (this.pending.length < WRITE_CHARS) return;
    const chunk = this.pending;
    this.pending = '';
    if (this.head.write(chunk)) return;
    // A failed upload never drains: its `stored` rejection ends the wait.
    await Promise.race([once(this.head, 'drain'), this.object.stored]);
  }

  async close(): Promise<void> {
    this.head.end(this.pending);
    this.pending = '';
    await this.object.stored;
  }

  abort(): Promise<void> {
    this.head.destroy();
    return this.object.abort();
  }
}

/**
 * Writes rejected rows into files of their stream, rolled by size, in an S3 bucket or a local folder. A row counts as
 * stored only when a flush() that follows it has resolved: then its file is complete (the multipart upload finished,
 * or the local file written and renamed), and its `onStored` callback has run. Operations run one after another.
 */
export class RejectStore {
  private readonly files = new Map<string, OpenFile>();
  private readonly parts = new Map<string, number>();
  private readonly layouts = new Map<string, RowLayout>();
  /** Files rolled since the last flush, being completed. */
  private rolled: Promise<void>[] = [];
  /** Called once the rows added since the last flush are stored. */
  private waiting: (() => void)[] = [];
  private queue: Promise<void> = Promise.resolve();
  private queuedRows = 0;
  private failure: unknown;
  /** When the oldest row not yet flushed was added, ms. */
  private oldestAt: number | undefined;
  private readonly rollBytes: number;
  private readonly now: () => Date;
  /** Rows stored, and where (the file of each key, in order of completion). */
  readonly stored = { rows: 0, files: [] as string[] };
  private written = 0;

  constructor(private readonly options: RejectStoreOptions) {
    this.rollBytes = options.rollBytes ?? ROLL_BYTES;
    this.now = options.now ?? (() => new Date());
  }

  /** Queues rows of one stream; returns a promise only when the caller must wait for the queue to shorten. */
  add(stream: RejectStreamRef, rows: RejectedRow[], onStored: () => void): Promise<void> | undefined {
    // After a failure the rows are never stored (onStored is not called): the failure reaches the caller through
    // throwIfFailed and flush, with its own error type.
    this.oldestAt ??= Date.now();
    this.waiting.push(onStored);
    this.queuedRows += rows.length;
    this.enqueue(async () => {
      for (const row of rows) await this.write(stream, row);
      this.queuedRows -= rows.length;
    });
    // A failure is not this caller's to handle: it is kept for throwIfFailed and flush.
    return this.queuedRows > MAX_QUEUED_ROWS ? this.queue.then(ignore, ignore) : undefined;
  }

  /** Resolves once every row added so far is stored; rejects with a StorageError when that failed. */
  flush(): Promise<void> {
    const waiting = this.waiting;
    this.waiting = [];
    this.oldestAt = undefined;
    this.enqueue(async () => {
      const open = [...this.files.values()];
      this.files.clear();
      const closing = [...this.rolled, ...open.map((file) => this.complete(file))];
      this.rolled = [];
      await Promise.all(closing);
      this.stored.rows = this.written;
      for (const onStored of waiting) onStored();
    });
    return this.queue;
  }

  /** Flushes when the oldest row not yet stored has waited `ms`; a failure is kept for throwIfFailed. */
  flushIfOlderThan(ms: number): void {
    if (this.oldestAt !== undefined && Date.now() - this.oldestAt >= ms) this.flush().catch(ignore);
  }

  /** Rows added and not yet stored. */
  get unstored(): boolean {
    return this.waiting.length > 0;
  }

  throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /** Gives up the files not yet complete (their rows were not counted as stored). */
  async abort(): Promise<void> {
    const open = [...this.files.values()];
    this.files.clear();
    await Promise.all(open.map((file) => file.abort()));
    this.options.target.close();
  }

  close(): void {
    this.options.target.close();
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(() => {
      this.throwIfFailed();
      return task();
    });
    this.queue.catch((error: unknown) => {
      this.failure ??= error;
    });
  }

  private async write(stream: RejectStreamRef, row: RejectedRow): Promise<void> {
    let file = this.files.get(stream.key);
    const layout = this.layoutOf(stream);
    if (!file) this.files.set(stream.key, (file = this.open(stream, layout)));
    await file.write(layout.line(row));
    this.written++;
    if (file.bytes >= this.rollBytes) {
      this.files.delete(stream.key);
      const completing = this.complete(file);
      completing.catch((error: unknown) => {
        this.failure ??= error;
      });
      this.rolled.push(completing);
    }
  }

  private async complete(file: OpenFile): Promise<void> {
    await file.close();
    this.stored.files.push(this.options.target.where(file.key));
  }

  private layoutOf(stream: RejectStreamRef): RowLayout {
    let layout = this.layouts.get(stream.key);
    if (!layout) this.layouts.set(stream.key, (layout = rowLayout(stream, this.options.layout)));
    return layout;
  }

  private open(stream: RejectStreamRef, layout: RowLayout): OpenFile {
    const part = this.parts.get(stream.key) ?? 0;
    this.parts.set(stream.key, part + 1);
    const key = objectKey(this.options.names, { name: stream.name, ...(stream.namespace === undefined ? {} : { namespace: stream.namespace }), at: this.now(), part });
    return new OpenFile(key, this.options.target.open(key), this.options.gzip, layout.header);
  }
}
