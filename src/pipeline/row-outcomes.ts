import { describeTarget } from '../marketo/bulk-import.js';
import type { CheckpointLedger, Interval } from './checkpoints.js';
import type { Progress } from './progress.js';
import { RowLogger } from './row-logger.js';
import type { DeletionOutcome } from './delete-runner.js';
import type { CompletedJob } from './scheduler.js';

export interface RowOutcomesOptions {
  ledger: CheckpointLedger;
  progress: Progress;
  log: (level: 'WARN' | 'INFO', message: string) => void;
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
 * Each is counted, logged and settled here; outcomes still to come (sent to rejected-record storage) belong here too.
 */
export class RowOutcomes {
  private readonly ledger: CheckpointLedger;
  private readonly progress: Progress;
  private readonly rows: RowLogger;
  private readonly log: RowOutcomesOptions['log'];
  /** Deletions per stream that found nothing to delete: logged once per stream at the end. */
  private readonly absent = new Map<string, number>();

  constructor(options: RowOutcomesOptions) {
    this.ledger = options.ledger;
    this.progress = options.progress;
    this.log = options.log;
    this.rows = new RowLogger(options.log);
  }

  /** A row of `stream` is not sent: it settles as rejected. */
  rejectedLocally(stream: string, interval: Interval, reason: string, lookup: string): void {
    this.ledger.settle(interval, 1, 1);
    this.progress.counters.rowsRejected++;
    this.rows.rejected(stream, reason, lookup);
  }

  /** A job is Complete: its rows are settled, rejected ones counted against the state they came before. */
  jobComplete(job: CompletedJob): void {
    const { file, status } = job;
    const failed = new Set(job.failures.map((f) => f.rowIndex));
    const rejected = this.ledger.settleFile(file.rowMeta, failed, job.unmatchedFailures);
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

  /** A delete batch of `stream` was answered: each deletion is deleted, already absent, or rejected with Marketo's reason. */
  deletionsAnswered(stream: string, records: readonly { interval: Interval; lookup: string }[], outcomes: readonly DeletionOutcome[]): void {
    const done = new Map<Interval, number>();
    records.forEach((record, i) => {
      const outcome = outcomes[i]!;
      if (outcome.kind === 'rejected') return this.rejectedLocally(stream, record.interval, outcome.reason, record.lookup);
      done.set(record.interval, (done.get(record.interval) ?? 0) + 1);
      this.progress.counters.rowsDeleted++;
      if (outcome.kind === 'absent') this.absent.set(stream, (this.absent.get(stream) ?? 0) + 1);
    });
    for (const [interval, count] of done) this.ledger.settle(interval, count);
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

  /** At the end of a sync: the counts of rows that were not logged one by one. */
  finish(): void {
    for (const [stream, count] of this.absent) {
      this.log('INFO', `Stream "${stream}": ${count} deletion(s) found nothing to delete in Marketo (already absent); counted as written`);
    }
    this.rows.finish();
  }
}
