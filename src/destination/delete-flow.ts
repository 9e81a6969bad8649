import type { EncodedRows } from '../encoding/chunk-encoder.js';
import type { EncodedDeletion, EncoderDeletes } from '../encoding/deletion-encoder.js';
import { describeTarget } from '../marketo/bulk-import.js';
import { toConnectorError } from '../marketo/connector-errors.js';
import type { DeleteApi } from '../marketo/deletes.js';
import type { Interval } from '../pipeline/checkpoints.js';
import { DeleteQueue, type KeyedUnit } from '../pipeline/delete-queue.js';
import { DeleteRunner, type CallCounts, type DeleteBatch } from '../pipeline/delete-runner.js';
import { DeletionBatcher } from '../pipeline/deletion-batcher.js';
import type { RowOutcomes } from '../pipeline/row-outcomes.js';
import type { ResolvedStream } from '../pipeline/stream-target.js';
import { PROGRAM_ID_COLUMN } from './activation.js';

/** Delete batches cut and not yet answered; past this the writer stops reading stdin (back-pressure). */
const MAX_PENDING_BATCHES = 4;

export interface DeleteFlowDeps {
  api: DeleteApi;
  /** Where each deletion's outcome is settled. */
  outcomes: RowOutcomes;
  /** Where the delete and lookup calls are counted. */
  counts: CallCounts;
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

/** The deletions of a write run: batched per stream, ordered against imports, sent, and settled as row outcomes. */
export class DeleteFlow {
  readonly queue: DeleteQueue;
  private readonly batchers = new Map<string, DeletionBatcher>();
  private readonly runner: DeleteRunner;

  constructor(
    streams: ResolvedStream[],
    private readonly deps: DeleteFlowDeps,
  ) {
    this.runner = new DeleteRunner(deps.api, deps.counts);
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

  /** A file of a stream was cut: its keys are no longer in the stream's open file, and it is queued for import. */
  readonly fileCut = (streamKey: string, file: KeyedUnit): void => {
    this.batchers.get(streamKey)?.fileCut();
    this.queue.importCut(file);
  };

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

  private async run(batch: DeleteBatch): Promise<void> {
    this.deps.outcomes.deletionsAnswered(batch, await this.runner.run(batch));
  }
}
