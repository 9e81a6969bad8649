import type { EncodedRows, LocallyRejected } from '../encoding/chunk-encoder.js';
import { describeTarget } from '../marketo/bulk-import.js';
import type { RejectedRow } from '../rejects/rejected-row.js';
import type { CheckpointLedger, Interval } from './checkpoints.js';
import type { DeleteBatch, DeletionOutcome } from './delete-runner.js';
import type { Progress } from './progress.js';
import type { RejectedRecords } from './rejected-records.js';
import { RowLogger } from './row-logger.js';
import type { CompletedJob } from './scheduler.js';
import type { ResolvedStream } from './stream-target.js';

export interface RowOutcomesOptions {
  ledger: CheckpointLedger;
  progress: Progress;
  log: (level: 'WARN' | 'INFO', message: string) => void;
  /** Where rejected rows are stored; undefined when object_storage_config is None (they are only counted and logged). */
  rejects?: RejectedRecords | undefined;
}

/**
 * Where each row's outcome is decided, and the only code that settles rows in the checkpoint ledger. A row read from
 * the input ends in exactly one outcome:
 * - imported: its job is Complete and Marketo did not fail it (a row with a warning is imported);
 * - failed in Marketo: listed in the job's failures report, or counted there without a row of ours to match;
 * - rejected locally, never sent: a value its field type refuses, a row larger than a file, a program or status that
 *   is missing or does not exist, a CDC deletion that cdc_deletes does not apply;
 * - deleted: Marketo deleted (or removed from the list) what a deletion named, or found it already absent;
 * - a deletion Marketo refused, with its reason (rejected).
 * Each is counted, logged and settled here. With rejected-record storage, a rejected row (either kind) settles only
 * once the file holding it is stored, so no state is echoed ahead of a reject it counts.
 */
export class RowOutcomes {
  private readonly ledger: CheckpointLedger;
  private readonly progress: Progress;
  private readonly rows: RowLogger;
  private readonly log: RowOutcomesOptions['log'];
  private readonly rejects: RejectedRecords | undefined;
  /** Deletions per stream that found nothing to delete: logged once per stream at the end. */
  private readonly absent = new Map<string, number>();

  constructor(options: RowOutcomesOptions) {
    this.ledger = options.ledger;
    this.progress = options.progress;
    this.log = options.log;
    this.rows = new RowLogger(options.log);
    this.rejects = options.rejects;
  }

  /**
   * A record the encoder rejected is not sent: it settles as rejected. Returns a promise only when reading must wait
   * for rejected-record storage to catch up.
   */
  rejectedLocally(stream: ResolvedStream, interval: Interval, item: LocallyRejected): Promise<void> | undefined {
    this.progress.counters.rowsRejected++;
    this.rows.rejected(stream.name, item.reason, item.lookup);
    return this.settleRejected(stream.key, interval, 1, (rejects) => [rejects.local(item)]);
  }

  /** Encoded rows of a program and status that cannot be imported are not sent: they settle as rejected. */
  groupRejected(stream: ResolvedStream, interval: Interval, reason: string, rows: EncodedRows): void {
    this.progress.counters.rowsRejected += rows.ends.length;
    for (const lookup of rows.lookups ?? []) this.rows.rejected(stream.name, reason, lookup);
    void this.settleRejected(stream.key, interval, rows.ends.length, (rejects) => rejects.group(stream, reason, rows));
  }

  /** A delete batch was answered: each deletion is deleted, already absent, or rejected with Marketo's reason. */
  deletionsAnswered(batch: DeleteBatch, outcomes: readonly DeletionOutcome[]): void {
    const done = new Map<Interval, number>();
    batch.records.forEach((deletion, i) => {
      const outcome = outcomes[i]!;
      if (outcome.kind === 'rejected') {
        this.progress.counters.rowsRejected++;
        this.rows.rejected(batch.stream, outcome.reason, deletion.lookup);
        void this.settleRejected(batch.streamKey, deletion.interval, 1, (rejects) => [rejects.deletion(batch, deletion, outcome.reason)]);
        return;
      }
      done.set(deletion.interval, (done.get(deletion.interval) ?? 0) + 1);
      this.progress.counters.rowsDeleted++;
      if (outcome.kind === 'absent') this.absent.set(batch.stream, (this.absent.get(batch.stream) ?? 0) + 1);
    });
    for (const [interval, count] of done) this.ledger.settle(interval, count);
    this.ledger.release();
  }

  /** A job is Complete: its rows are settled, rejected ones counted against the state they came before. */
  jobComplete(job: CompletedJob): void {
    const { file, status } = job;
    const failed = new Set(job.failures.map((f) => f.rowIndex));
    // Failed rows we matched wait for their records to be stored; the unmatched ones cannot be written, only counted.
    const rejected = this.ledger.settleFile(file.rowMeta, failed, job.unmatchedFailures, this.rejects !== undefined);
    if (this.rejects) {
      for (const [interval, rows] of this.rejects.failedInJob(job)) void this.settleRejected(file.streamKey, interval, rows.length, () => rows);
    }
    const { counters } = this.progress;
    counters.rowsRejected += rejected;
    counters.rowsImported += file.rowCount - rejected;
    counters.rowsWarned += status.warned;
    this.rows.report(file.stream, status.batchId, job.failures, job.warnings, job.unmatchedFailures);
    this.log(
      'INFO',
      `Import job ${status.batchId} (${describeTarget(file.target)}, stream "${file.stream}") complete: ${file.rowCount} rows, ${status.failed} failed, ${status.warned} warned`,
    );
    this.ledger.release();
  }

  /** A field of a record is not in its stream's schema, and is dropped (the row itself goes on). */
  unknownField(stream: string, field: string): void {
    this.rows.unknownField(stream, field);
  }

  /** A row is sent with U+FFFD where its text was not valid UTF-8 (the row itself goes on). */
  replacedText(stream: string, line: number): void {
    this.rows.replacedText(stream, line);
  }

  /** `count` rejected rows of one interval settle: at once without storage, else once the store holds their records. */
  private settleRejected(streamKey: string, interval: Interval, count: number, records: (rejects: RejectedRecords) => RejectedRow[]): Promise<void> | undefined {
    if (!this.rejects) {
      this.ledger.settle(interval, count, count);
      return undefined;
    }
    return this.rejects.add(streamKey, records(this.rejects), () => {
      this.ledger.settle(interval, count, count);
      this.ledger.release();
    });
  }

  /** At the end of a sync: the counts of rows that were not logged one by one. */
  finish(): void {
    this.rows.finish();
    for (const [stream, count] of this.absent) {
      this.log('INFO', `Stream "${stream}": ${count} deletion(s) found nothing to delete in Marketo (already absent); counted as written`);
    }
  }
}
