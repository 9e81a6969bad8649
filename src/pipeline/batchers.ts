import type { EncodedRows } from '../encoding/chunk-encoder.js';
import type { FileFormat } from '../marketo/file-format.js';
import { BufferPool } from './buffer-pool.js';
import type { Interval } from './checkpoints.js';
import { KeptFile, type TempDir } from './kept-file.js';
import { ProgramMemberGroups, type GroupCheck } from './program-member-groups.js';
import type { Progress } from './progress.js';
import type { RowOutcomes } from './row-outcomes.js';
import type { JobScheduler, PreparedFile } from './scheduler.js';
import { StreamBatcher, type BatcherHooks, type CutFile } from './stream-batcher.js';
import type { ResolvedStream } from './stream-target.js';

type Batcher = StreamBatcher | ProgramMemberGroups;

export interface BatchersOptions {
  format: FileFormat;
  maxBytes: number;
  /** Where uploaded files wait for their job to end. */
  tempDir: TempDir;
  checkGroup: GroupCheck;
  scheduler: Pick<JobScheduler, 'enqueue'>;
  outcomes: RowOutcomes;
  progress: Progress;
  /** Told of each file of a stream as it is cut, before it joins the import queue (deletions keep order by it). */
  onFileCut?: (streamKey: string, file: PreparedFile) => void;
}

/**
 * Every stream's batcher, and where what they produce goes: each file they cut to the import queue, kept until its
 * job is Complete; each row they cannot send to its outcome.
 */
export class Batchers {
  private readonly batchers = new Map<string, Batcher>();
  private readonly memoryBudget: number;

  constructor(streams: ResolvedStream[], options: BatchersOptions) {
    const { format, maxBytes, tempDir, checkGroup, scheduler, outcomes, progress, onFileCut } = options;
    this.memoryBudget = Math.max(3 * maxBytes, 16 * 1024 * 1024);
    const pool = new BufferPool(maxBytes);
    const hooksOf = (streamKey: string): BatcherHooks => ({
      onFile: ({ csv, ...file }: CutFile) => {
        progress.counters.filesCut++;
        progress.counters.bytesCut += csv.bytes.length;
        const prepared = { ...file, rowCount: csv.rowCount, rowMeta: csv.rowMeta, body: new KeptFile(csv.bytes, tempDir, (bytes) => pool.give(bytes)) };
        onFileCut?.(streamKey, prepared);
        scheduler.enqueue(prepared);
      },
      onRejected: (stream, interval, reason, rows) => outcomes.groupRejected(stream, interval, reason, rows),
    });
    for (const stream of streams) {
      const hooks = hooksOf(stream.key);
      const batcher = stream.grouped
        ? new ProgramMemberGroups(stream, { format, maxBytes, pool }, hooks, checkGroup)
        : new StreamBatcher(stream, { format, maxBytes, pool }, hooks);
      this.batchers.set(stream.key, batcher);
    }
  }

  /** The stream of a streamKey in the plan. */
  stream(key: string): ResolvedStream {
    return this.batchers.get(key)!.stream;
  }

  /** Adds rows of one stream, all of `interval`; returns a promise only when the rows start a program group. */
  add(rows: EncodedRows, interval: Interval): Promise<void> | undefined {
    const adding = this.batchers.get(rows.stream)!.add(rows, interval);
    if (adding) return adding.then(() => this.keepWithinBudget());
    this.keepWithinBudget();
    return undefined;
  }

  /** Cuts the open file(s) of one stream. */
  flushStream(key: string): void {
    this.batchers.get(key)?.flush();
  }

  /** Cuts every open file (end of input). */
  flush(): void {
    for (const batcher of this.batchers.values()) batcher.flush();
  }

  /** Cuts the open files whose oldest row was added at or before `limit` (ms), so that states keep flowing. */
  flushOlderThan(limit: number): void {
    for (const batcher of this.batchers.values()) {
      const oldest = batcher.oldestRowAt;
      if (oldest !== undefined && oldest <= limit) batcher.flush();
    }
  }

  /** Keeps memory bounded across many streams: the largest open file is sent early. */
  private keepWithinBudget(): void {
    if (this.bufferedBytes() > this.memoryBudget) this.flushLargest();
  }

  private bufferedBytes(): number {
    let total = 0;
    for (const batcher of this.batchers.values()) total += batcher.bufferedBytes;
    return total;
  }

  private flushLargest(): void {
    let largest: Batcher | undefined;
    for (const batcher of this.batchers.values()) {
      if (!largest || batcher.bufferedBytes > largest.bufferedBytes) largest = batcher;
    }
    largest?.flush();
  }
}
