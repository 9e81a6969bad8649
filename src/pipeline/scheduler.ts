import { setTimeout as sleep } from 'node:timers/promises';
import type { FileFormat } from '../marketo/file-format.js';
import { matchReportRows, sentRows, type RowReport } from '../marketo/row-report.js';
import { describeTarget, type ImportJobs, type ImportTarget, type JobStatus } from '../marketo/bulk-import.js';
import { toConnectorError } from '../marketo/connector-errors.js';
import { MarketoError } from '../marketo/errors.js';
import { systemError, transientError } from '../protocol/errors.js';
import type { Interval } from './checkpoints.js';
import type { KeptFile } from './kept-file.js';
import { intersects } from './key-hashes.js';
import { Waiters } from './waiters.js';
import { PollPolicy } from './poll-policy.js';

/** A cut file on its way to Marketo; kept whole until its job is Complete so that a retry can send it again. */
export interface PreparedFile {
  stream: string;
  streamKey: string;
  target: ImportTarget;
  /** Files with the same target key and a shared lookup value must not import side by side (last row wins). */
  targetKey: string;
  /** Sorted hashes of the rows' lookup values. */
  keys: Float64Array;
  rowCount: number;
  /** The interval (for state accounting) of each row. */
  rowMeta: Interval[];
  /** Each row's record emitted_at. */
  emittedAt: Float64Array;
  body: KeptFile;
}

export interface CompletedJob {
  file: PreparedFile;
  status: JobStatus;
  failures: RowReport[];
  /** The cells we sent in each failed row, in the order of `failures`. */
  failedCells: string[][];
  warnings: RowReport[];
  /** Failed rows Marketo counted that could not be matched to a row of ours. */
  unmatchedFailures: number;
}

export interface SchedulerOptions {
  api: ImportJobs;
  format: FileFormat;
  maxInFlight: number;
  initialPollMs: number;
  maxPollMs: number;
  jobTimeoutMs: number;
  signal: AbortSignal;
  onComplete: (job: CompletedJob) => void;
  onChange?: () => void;
  log: (level: 'INFO' | 'WARN', message: string) => void;
  /** Holds a file back while something else must reach Marketo first (an earlier delete of its keys); see `wake`. */
  mayStart?: (file: PreparedFile) => boolean;
}

/** Marketo imports at most this many jobs at once per instance; a job further back cannot complete first. */
const MARKETO_CONCURRENT_IMPORTS = 2;
/** Uploaded files kept in memory until their job ends; older ones move to disk (see keepUploaded). */
const UPLOADED_IN_MEMORY = 1;

interface Job {
  file: PreparedFile;
  status: JobStatus['status'] | 'Submitting';
}

/**
 * Keeps Marketo busy without tripping its limits: at most `maxInFlight` of our jobs are Queued or Importing, the
 * next files are uploaded while others import, and each job is polled with the PollPolicy until it ends.
 */
export class JobScheduler {
  private readonly ready: PreparedFile[] = [];
  private readonly inFlight: Job[] = [];
  private readonly waiters = new Waiters({ failure: () => this.failure, stopped: () => this.stopped });
  /** Bodies of uploaded files still in memory, oldest first. */
  private readonly uploadedInMemory: KeptFile[] = [];
  private readonly policy: PollPolicy;
  private failure: unknown;
  private stopped = false;
  counts = { submitted: 0, completed: 0, queueFullWaits: 0 };

  constructor(private readonly options: SchedulerOptions) {
    this.policy = new PollPolicy({ initialMs: options.initialPollMs, maxMs: options.maxPollMs });
  }

  enqueue(file: PreparedFile): void {
    this.ready.push(file);
    this.pump();
  }

  /** Files cut but not yet uploaded; the writer stops reading input while this is high. */
  get backlog(): number {
    return this.ready.length;
  }

  get jobs(): { queued: number; importing: number } {
    let importing = 0;
    for (const job of this.inFlight) if (job.status === 'Importing') importing++;
    return { queued: this.inFlight.length - importing, importing };
  }

  /** Resolves when the backlog is below `limit`; rejects if the sync failed. */
  async waitForBacklogBelow(limit: number): Promise<void> {
    await this.until(() => this.ready.length < limit);
  }

  /** Resolves when every file is imported; rejects with the first fatal error. */
  async drain(): Promise<void> {
    await this.until(() => this.ready.length === 0 && this.inFlight.length === 0);
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Throws the sync's fatal error, if any; cheap enough to call for every record. */
  throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /** What held a file back (`mayStart`) may have changed. */
  wake(): void {
    this.pump();
  }

  /** Starts no new job from now on (shutdown); jobs already in Marketo finish there. */
  stop(): void {
    this.stopped = true;
    this.notify();
  }

  private until(condition: () => boolean): Promise<void> {
    return this.waiters.until(condition);
  }

  private notify(): void {
    this.waiters.notify();
    this.options.onChange?.();
  }

  private pump(): void {
    while (!this.stopped && this.failure === undefined && this.ready.length > 0 && this.inFlight.length < this.options.maxInFlight) {
      const next = this.ready[0]!;
      // Head-of-line wait keeps file order per object: a later row for a key must not land before an earlier one.
      if (this.inFlight.some((job) => conflicts(job.file, next))) break;
      if (this.options.mayStart?.(next) === false) break;
      this.ready.shift();
      const job: Job = { file: next, status: 'Submitting' };
      this.inFlight.push(job);
      this.run(job).then(
        () => this.finish(job),
        (error: unknown) => this.fail(error, job.file),
      );
    }
    this.notify();
  }

  private finish(job: Job): void {
    this.inFlight.splice(this.inFlight.indexOf(job), 1);
    // After stop() a job's loop ends without its job having completed.
    if (!this.stopped) this.counts.completed++;
    this.pump();
  }

  private fail(error: unknown, file: PreparedFile): void {
    if (this.failure !== undefined) return;
    if (this.options.signal.aborted && !(error instanceof MarketoError)) {
      // Shutdown interrupted the wait; not a failure of the sync.
      return;
    }
    this.failure = toConnectorError(error, { stream: file.stream, object: describeTarget(file.target) });
    this.notify();
  }

  private async run(job: Job): Promise<void> {
    const { file } = job;
    let retried = false;
    for (;;) {
      let status = await this.create(job);
      const submittedAt = Date.now();
      let progress = { rows: file.rowCount, startedAt: submittedAt, interval: this.options.initialPollMs, done: undefined as number | undefined };
      let inWindow = false;
      let lastPollAt = submittedAt;
      while (status.status === 'Queued' || status.status === 'Importing') {
        if (!inWindow) {
          await this.until(() => this.inFlight.indexOf(job) < MARKETO_CONCURRENT_IMPORTS);
          if (this.stopped) return;
          inWindow = true;
          progress = { ...progress, startedAt: Math.max(submittedAt, Date.now()) };
        }
        const remaining = submittedAt + this.options.jobTimeoutMs - Date.now();
        if (remaining <= 0) {
          throw transientError(
            `Marketo import job ${status.batchId} (stream "${file.stream}") did not finish within ${+(this.options.jobTimeoutMs / 60000).toFixed(2)} minutes (last status ${status.status}). Marketo may be busy with other imports; run the sync again later or raise polling.job_timeout_minutes.`,
          );
        }
        const { delayMs, interval } = this.policy.next(progress, Date.now());
        // The last poll falls on the deadline, so a job that finishes just in time is not failed.
        await sleep(Math.min(delayMs, remaining), undefined, { signal: this.options.signal });
        status = await this.options.api.status(file.target, status.batchId);
        job.status = status.status;
        const done = status.status === 'Importing' ? status.processed + status.failed : undefined;
        const polledAt = Date.now();
        if (done !== undefined && progress.done !== undefined) this.policy.observeProgress(done - progress.done, polledAt - lastPollAt);
        lastPollAt = polledAt;
        progress = { ...progress, interval, done };
        this.notify();
      }
      if (status.status === 'Complete') {
        this.policy.observe(file.rowCount, Date.now() - progress.startedAt);
        await this.complete(file, status);
        return;
      }
      if (retried) {
        throw systemError(
          `Marketo import job ${status.batchId} for stream "${file.stream}" (${describeTarget(file.target)}) failed twice: ${status.message ?? 'no message'}`,
        );
      }
      retried = true;
      this.options.log('WARN', `Marketo import job ${status.batchId} for stream "${file.stream}" failed (${status.message ?? 'no message'}); sending the same file once more`);
    }
  }

  /** Creates the job, waiting while the instance's shared queue is full (1016): that is not an error of the sync. */
  private async create(job: Job): Promise<JobStatus> {
    const { file } = job;
    let wait = this.options.initialPollMs;
    for (;;) {
      try {
        const status = await this.options.api.create(file.target, await file.body.read(), this.options.format);
        this.counts.submitted++;
        await this.keepUploaded(file.body);
        job.status = status.status;
        this.notify();
        return status;
      } catch (error) {
        if (!(error instanceof MarketoError) || error.kind !== 'queue_full') throw error;
        if (this.counts.queueFullWaits++ === 0) {
          this.options.log('INFO', 'Marketo’s import queue is full (1016, shared with other integrations); waiting for room');
        }
        await sleep(wait, undefined, { signal: this.options.signal });
        wait = Math.min(this.options.maxPollMs, wait * 2);
      }
    }
  }

  /**
   * The job is in Marketo now; its bytes are needed again only for a retry or to match failed rows. They stay in
   * memory while this is the only such file, so a job that ends before the next upload never touches the disk; older
   * ones wait on disk, which keeps memory bounded however many jobs Marketo holds.
   */
  private async keepUploaded(body: KeptFile): Promise<void> {
    this.uploadedInMemory.push(body);
    while (this.uploadedInMemory.length > UPLOADED_IN_MEMORY) await this.uploadedInMemory.shift()!.spill();
  }

  private async complete(file: PreparedFile, status: JobStatus): Promise<void> {
    const { api } = this.options;
    const [failureCsv, warningCsv] = await Promise.all([
      status.failed > 0 ? api.failures(file.target, status.batchId) : undefined,
      status.warned > 0 ? api.warnings(file.target, status.batchId) : undefined,
    ]);
    const source = failureCsv || warningCsv ? { bytes: await file.body.read(), format: this.options.format } : undefined;
    const failures = source && failureCsv ? matchReportRows(source, failureCsv, 'Import Failure Reason').matched : [];
    const warnings = source && warningCsv ? matchReportRows(source, warningCsv, 'Import Warning Reason').matched : [];
    // Parsed again, for the few files with failed rows: their records go to the files of rejected records.
    const sent = source && failures.length > 0 ? sentRows(source) : [];
    const failedCells = failures.map((failure) => sent[failure.rowIndex]!);
    const kept = this.uploadedInMemory.indexOf(file.body);
    if (kept !== -1) this.uploadedInMemory.splice(kept, 1);
    await file.body.discard();
    this.options.onComplete({
      file,
      status,
      failures,
      failedCells,
      warnings,
      unmatchedFailures: Math.max(0, status.failed - failures.length),
    });
  }
}

function conflicts(a: PreparedFile, b: PreparedFile): boolean {
  return a.targetKey === b.targetKey && intersects(a.keys, b.keys);
}
