import type { EncodedRows } from '../batching/chunk-encoder.js';
import type { EncodedDeletion, EncoderDeletes } from '../batching/deletion-encoder.js';
import { describeTarget } from '../marketo/bulk-import.js';
import { toConnectorError } from '../marketo/connector-errors.js';
import type { DeleteApi } from '../marketo/deletes.js';
import type { CheckpointLedger, Interval } from '../pipeline/checkpoints.js';
import { DeleteQueue } from '../pipeline/delete-queue.js';
import { DeleteRunner, type DeleteBatch, type DeletionOutcome } from '../pipeline/delete-runner.js';
import { DeletionBatcher } from '../pipeline/deletion-batcher.js';
import type { Progress } from '../pipeline/progress.js';
import type { ResolvedStream } from '../pipeline/stream-batcher.js';
import { PROGRAM_ID_COLUMN } from './activation.js';

/** Delete batches cut and not yet answered; past this the writer stops reading stdin (back-pressure). */
const MAX_PENDING_BATCHES = 4;

export interface DeleteFlowDeps {
  api: DeleteApi;
  ledger: CheckpointLedger;
  progress: Progress;
  /** A deletion Marketo refused: settled as rejected, the same way as every other rejected row. */
  onRejected: (streamKey: string, interval: Interval, reason: string, lookup: string) => void;
  log: (level: 'INFO' | 'WARN', message: string) => void;
  signal: AbortSignal;
  /** Cuts a stream's open import file (a deletion of one of its keys follows it). */
  flushImports: (streamKey: string) => void;
  /** A delete batch ended: an import file held back for it may start. */
  wakeImports: () => void;
  /** Deletions failed the sync: imports stop too. */
  stopImports: () => void;
}

/** How the encoder tells a stream's deletions apart; undefined for a stream without any. */
export function encoderDeletes(stream: ResolvedStream): EncoderDeletes | undefined {
  const { deletes } = stream;
  if (!deletes) return undefined;
  const names = stream.columns.map((c) => c.name);
  const key = deletes.key ? deletes.key.map((name) => names.indexOf(name)) : stream.keyColumns;
  return {
    every: deletes.records === 'every',
    ...(deletes.effect === 'reject' ? { reject: deletes.reason } : {}),
    key,
    ...(stream.target.kind === 'program_members' && stream.grouped ? { programId: PROGRAM_ID_COLUMN } : {}),
  };
}

/** Whether any stream sends deletions to Marketo (rejected ones need none of this). */
export function sendsDeletions(streams: ResolvedStream[]): boolean {
  return streams.some((s) => s.deletes && s.deletes.effect !== 'reject');
}

/** The deletions of a write run: batched per stream, ordered against imports, sent, and settled in the ledger. */
export class DeleteFlow {
  readonly queue: DeleteQueue;
  private readonly batchers = new Map<string, DeletionBatcher>();
  private readonly runner: DeleteRunner;
  /** Deletions per stream that found nothing to delete: logged once per stream at the end. */
  private readonly absent = new Map<string, number>();

  constructor(
    streams: ResolvedStream[],
    private readonly deps: DeleteFlowDeps,
  ) {
    this.runner = new DeleteRunner(deps.api, deps.progress.counters);
    this.queue = new DeleteQueue({
      run: (batch) => this.run(batch),
      toFatal: (error, batch) => toConnectorError(error, { stream: batch.stream, object: describeTarget(batch.target) }),
      onChange: deps.wakeImports,
      onFailure: deps.stopImports,
      signal: deps.signal,
    });
    for (const stream of streams) {
      if (!stream.deletes || stream.deletes.effect === 'reject') continue;
      const batcher = new DeletionBatcher(stream, {
        onBatch: (batch) => this.queue.enqueue(batch),
        flushImports: () => deps.flushImports(stream.key),
      });
      this.batchers.set(stream.key, batcher);
    }
  }

  /** A deletion read from the input; returns a promise when reading must wait for batches to be answered. */
  add(deletion: EncodedDeletion, interval: Interval): Promise<void> | undefined {
    this.batchers.get(deletion.stream)!.add(deletion, interval);
    this.queue.throwIfFailed();
    return this.queue.pending >= MAX_PENDING_BATCHES ? this.queue.waitForPendingBelow(MAX_PENDING_BATCHES) : undefined;
  }

  /** Rows of a stream are about to be batched for import. */
  rowsAdded(rows: EncodedRows): void {
    this.batchers.get(rows.stream)?.rowsAdded(rows.keys);
  }

  /** A stream's open import file was cut. */
  fileCut(streamKey: string): void {
    this.batchers.get(streamKey)?.fileCut();
  }

  flush(): void {
    for (const batcher of this.batchers.values()) batcher.flush();
  }

  /** Sends batches whose oldest deletion is older than `limit` (ms since the epoch), so that states keep flowing. */
  flushOlderThan(limit: number): void {
    for (const batcher of this.batchers.values()) {
      const oldest = batcher.oldestAt;
      if (oldest !== undefined && oldest <= limit) batcher.flush();
    }
  }

  finish(): void {
    for (const [stream, count] of this.absent) {
      this.deps.log('INFO', `Stream "${stream}": ${count} deletion(s) found nothing to delete in Marketo (already absent); counted as written`);
    }
  }

  private async run(batch: DeleteBatch): Promise<void> {
    const outcomes = await this.runner.run(batch);
    const { ledger, progress } = this.deps;
    const done = new Map<Interval, number>();
    batch.records.forEach((record, i) => {
      const outcome: DeletionOutcome = outcomes[i]!;
      if (outcome.kind === 'rejected') return this.deps.onRejected(batch.streamKey, record.interval, outcome.reason, record.lookup);
      done.set(record.interval, (done.get(record.interval) ?? 0) + 1);
      progress.counters.rowsDeleted++;
      if (outcome.kind === 'absent') this.absent.set(batch.stream, (this.absent.get(batch.stream) ?? 0) + 1);
    });
    for (const [interval, count] of done) ledger.settle(interval, count);
    ledger.release();
    progress.tick();
  }
}
