import { intersects } from './key-hashes.js';
import { Waiters } from './waiters.js';
import type { DeleteBatch } from './delete-runner.js';

/** Anything that touches Marketo records: an import file or a delete batch, as far as ordering goes. */
export interface KeyedUnit {
  targetKey: string;
  /** Sorted key hashes. */
  keys: Float64Array;
}

export interface DeleteQueueOptions {
  /** Runs one batch to its end (the calls answered and the records settled). */
  run: (batch: DeleteBatch) => Promise<void>;
  /** Turns a failure into the sync's fatal error. */
  toFatal: (error: unknown, batch: DeleteBatch) => unknown;
  /** An import file may now be allowed to start (a delete batch ended). */
  onChange: () => void;
  /** The sync failed here: imports held back for a batch must stop waiting for it. */
  onFailure: () => void;
  signal: AbortSignal;
  /** Delete batches running at once; their calls share the client's limiter anyway. */
  maxRunning?: number;
}

interface Entry {
  batch: DeleteBatch;
  seq: number;
  running: boolean;
}

const conflict = (a: KeyedUnit, b: KeyedUnit): boolean => a.targetKey === b.targetKey && intersects(a.keys, b.keys);

/**
 * Keeps deletes and imports of the same keys in input order. Every import file and delete batch gets a sequence
 * number when it is cut; the batchers cut them in an order consistent with the input (see DeletionBatcher). A
 * delete batch starts once no earlier import file or delete batch sharing a key hash is unfinished, and an import
 * file starts once no earlier delete batch sharing a key hash is unfinished (the scheduler asks `mayStartImport`).
 */
export class DeleteQueue {
  private seq = 0;
  private readonly imports = new Map<KeyedUnit, number>();
  private readonly entries: Entry[] = [];
  private readonly waiters = new Waiters({ failure: () => this.failure, stopped: () => this.stopped });
  private failure: unknown;
  private stopped = false;

  constructor(private readonly options: DeleteQueueOptions) {}

  /** An import file was cut: it is unfinished until `importDone`. */
  importCut(file: KeyedUnit): void {
    this.imports.set(file, ++this.seq);
  }

  /** An import file is Complete and settled. */
  importDone(file: KeyedUnit): void {
    this.imports.delete(file);
    this.pump();
  }

  /** Whether an import file may start: no earlier delete batch of its keys is unfinished. */
  mayStartImport(file: KeyedUnit): boolean {
    const seq = this.imports.get(file) ?? Infinity;
    return !this.entries.some((entry) => entry.seq < seq && conflict(entry.batch, file));
  }

  enqueue(batch: DeleteBatch): void {
    this.entries.push({ batch, seq: ++this.seq, running: false });
    this.pump();
  }

  /** Delete batches cut and not finished; the writer stops reading while there are many. */
  get pending(): number {
    return this.entries.length;
  }

  waitForPendingBelow(limit: number): Promise<void> {
    return this.until(() => this.entries.length < limit);
  }

  drain(): Promise<void> {
    return this.until(() => this.entries.length === 0);
  }

  throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /** Starts no new batch (shutdown); running ones finish. */
  stop(): void {
    this.stopped = true;
    this.notify();
  }

  private mayStart(entry: Entry): boolean {
    for (const [file, seq] of this.imports) if (seq < entry.seq && conflict(file, entry.batch)) return false;
    return !this.entries.some((other) => other.seq < entry.seq && conflict(other.batch, entry.batch));
  }

  private pump(): void {
    const maxRunning = this.options.maxRunning ?? 2;
    let running = this.entries.filter((e) => e.running).length;
    for (const entry of this.entries) {
      if (this.stopped || this.failure !== undefined || running >= maxRunning) break;
      if (entry.running || !this.mayStart(entry)) continue;
      entry.running = true;
      running++;
      this.options.run(entry.batch).then(
        () => this.finish(entry),
        (error: unknown) => this.fail(error, entry.batch),
      );
    }
    this.notify();
  }

  private finish(entry: Entry): void {
    this.entries.splice(this.entries.indexOf(entry), 1);
    this.pump();
    this.options.onChange();
  }

  private fail(error: unknown, batch: DeleteBatch): void {
    if (this.failure !== undefined) return;
    // Shutdown interrupted a wait: not a failure of the sync.
    if (this.options.signal.aborted && this.stopped) return;
    this.failure = this.options.toFatal(error, batch);
    this.notify();
    this.options.onFailure();
  }

  private until(condition: () => boolean): Promise<void> {
    return this.waiters.until(condition);
  }

  private notify(): void {
    this.waiters.notify();
  }
}
