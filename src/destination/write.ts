import type { FileFormat } from '../marketo/file-format.js';
import type { Config } from '../config/schema.js';
import type { RunContext } from '../protocol/destination.js';
import { fromFailure, type EncodedItem, type EncodedRows, type EncoderPlan } from '../encoding/chunk-encoder.js';
import { defaultEncoderThreads, encodeChunks } from '../encoding/encoder-pool.js';
import { configError } from '../protocol/errors.js';
import type { LineChunk } from '../protocol/line-chunks.js';
import { streamKey } from '../protocol/messages.js';
import { Batchers } from '../pipeline/batchers.js';
import { CheckpointLedger, scopeOf } from '../pipeline/checkpoints.js';
import { Progress } from '../pipeline/progress.js';
import { JobScheduler } from '../pipeline/scheduler.js';
import type { GroupCheck } from '../pipeline/program-member-groups.js';
import { TempDir } from '../pipeline/kept-file.js';
import { RejectedRecords } from '../pipeline/rejected-records.js';
import { RowOutcomes } from '../pipeline/row-outcomes.js';
import type { ResolvedStream } from '../pipeline/stream-target.js';
import type { RejectStore } from '../rejects/reject-store.js';
import { PROGRAM_ID_COLUMN, STATUS_COLUMN } from './activation.js';
import { DeleteFlow, encoderDeletes, sendsDeletions } from './delete-flow.js';
import type { MarketoSession } from './session.js';

/** Cut files waiting for a job slot; past this the writer stops reading stdin (back-pressure). */
const MAX_BACKLOG_FILES = 1;
/** How often the age of open files is checked, so that states flow even when the input is idle. */
const AGE_CHECK_MS = 1000;

/**
 * One `write` run: wires the pipeline for the run's streams, then reads. Records → encoder → batchers → scheduler →
 * Marketo; each row's outcome settles in the ledger, which releases states.
 */
export class WriteSync {
  private readonly ledger: CheckpointLedger;
  private readonly scheduler: JobScheduler;
  private readonly batchers: Batchers;
  private readonly outcomes: RowOutcomes;
  /** Undefined when object_storage_config is None. */
  private readonly rejects: RejectedRecords | undefined;
  private readonly progress: Progress;
  private readonly tempDir: TempDir;
  private readonly plan: EncoderPlan;
  /** Present when a stream sends deletions to Marketo. */
  private readonly deletes?: DeleteFlow;

  constructor(
    private readonly config: Config,
    streams: ResolvedStream[],
    session: MarketoSession,
    private readonly ctx: RunContext,
    checkGroup: GroupCheck,
    rejects: { store: RejectStore | undefined; generations: ReadonlyMap<string, number> },
  ) {
    this.tempDir = new TempDir((folder) => ctx.out.log('INFO', `Removed ${folder}: the temporary files of an earlier run that did not end cleanly`));
    const format: FileFormat = config.file_format;
    const maxBytes = config.batching.max_file_bytes;
    this.progress = new Progress({
      stderr: ctx.stderr,
      log: (message) => ctx.out.log('INFO', message),
      apiCalls: () => session.client.apiCalls,
    });
    this.ledger = new CheckpointLedger((message) => {
      this.progress.counters.statesEchoed++;
      void ctx.out.emit(message);
    });
    const group = { programId: PROGRAM_ID_COLUMN, status: STATUS_COLUMN };
    const { store, generations } = rejects;
    this.rejects = store && new RejectedRecords({ store, streams, generations, groupFields: group, format, flushIntervalMs: config.batching.flush_interval_seconds * 1000 });
    this.outcomes = new RowOutcomes({ ledger: this.ledger, progress: this.progress, log: (level, message) => ctx.out.log(level, message), rejects: this.rejects });
    this.scheduler = new JobScheduler({
      api: session.bulk,
      format,
      maxInFlight: config.batching.max_jobs_in_flight,
      initialPollMs: config.polling.initial_interval_seconds * 1000,
      maxPollMs: config.polling.max_interval_seconds * 1000,
      jobTimeoutMs: config.polling.job_timeout_minutes * 60_000,
      signal: ctx.signal,
      onComplete: (job) => {
        this.outcomes.jobComplete(job);
        this.deletes?.queue.importDone(job.file);
      },
      onChange: () => {
        // Deletions waiting for imports of their keys must stop waiting once imports failed.
        if (this.scheduler.failed) this.deletes?.queue.stop();
        this.showProgress();
      },
      log: (level, message) => ctx.out.log(level, message),
      mayStart: (file) => this.deletes?.queue.mayStartImport(file) ?? true,
    });
    if (sendsDeletions(streams)) {
      this.deletes = new DeleteFlow(streams, {
        api: session.deletes,
        outcomes: this.outcomes,
        counts: this.progress.counters,
        signal: ctx.signal,
        flushImports: (key) => this.batchers.flushStream(key),
        wakeImports: () => this.scheduler.wake(),
        stopImports: () => this.scheduler.stop(),
      });
    }
    this.batchers = new Batchers(streams, {
      format,
      maxBytes,
      tempDir: this.tempDir,
      checkGroup,
      scheduler: this.scheduler,
      outcomes: this.outcomes,
      progress: this.progress,
      ...(this.deletes ? { onFileCut: this.deletes.fileCut } : {}),
    });
    this.plan = {
      format,
      maxBytes,
      cells: { naiveTimeZone: config.naive_datetime_time_zone },
      streams: streams.map((stream) => {
        const { key, columns, keyColumns, grouped } = stream;
        const deletes = encoderDeletes(stream);
        return { key, columns, keyColumns, ...(grouped ? { group } : {}), ...(deletes ? { deletes } : {}) };
      }),
    };
  }

  async run(input: AsyncIterable<LineChunk>): Promise<void> {
    const { signal } = this.ctx;
    const onAbort = (): void => {
      this.scheduler.stop();
      this.deletes?.queue.stop();
    };
    signal.addEventListener('abort', onAbort);
    const ageTimer = setInterval(() => this.flushOld(), AGE_CHECK_MS);
    ageTimer.unref();
    const threads = this.config.batching.encoder_threads ?? defaultEncoderThreads();
    try {
      read: for await (const chunk of encodeChunks(input, this.plan, { threads })) {
        for (const item of chunk.items) {
          if (signal.aborted) break read;
          const waiting = this.apply(item);
          if (waiting) await waiting;
        }
        if (chunk.failure) throw fromFailure(chunk.failure);
      }
      if (signal.aborted) return this.stopEarly();
      this.batchers.flush();
      this.deletes?.flush();
      await Promise.all([this.scheduler.drain(), this.deletes?.queue.drain()]);
      if (signal.aborted) return this.stopEarly();
      await this.rejects?.storeAll();
      this.outcomes.finish();
      const stored = this.rejects?.summary();
      if (stored) this.ctx.out.log('INFO', stored);
      this.progress.finish();
    } finally {
      clearInterval(ageTimer);
      signal.removeEventListener('abort', onAbort);
      this.tempDir.remove();
      await this.rejects?.close();
    }
  }

  /** Hot path, once per run of rows: returns a promise only when reading must wait (a new program group, or back-pressure). */
  private apply(item: EncodedItem): Promise<void> | undefined {
    switch (item.kind) {
      case 'rows':
        return this.addRows(item);
      case 'delete':
        this.progress.counters.recordsRead++;
        return this.deletes!.add(item, this.ledger.recordsReceived(item.stream, 1));
      case 'rejected': {
        this.progress.counters.recordsRead++;
        return this.outcomes.rejectedLocally(this.batchers.stream(item.stream), this.ledger.recordsReceived(item.stream, 1), item);
      }
      case 'unknown_field':
        this.outcomes.unknownField(this.batchers.stream(item.stream).name, item.field);
        return undefined;
      case 'replaced_text':
        this.outcomes.replacedText(this.batchers.stream(item.stream).name, item.line);
        return undefined;
      case 'unknown_stream':
        throw configError(
          `Line ${item.line}: a RECORD for stream "${item.stream}"${item.namespace ? ` (namespace "${item.namespace}")` : ''}, which is not in the configured catalog. Refresh the connection's schema so the catalog lists every stream the source sends.`,
        );
      case 'message': {
        const { message } = item;
        if (message.type === 'STATE') this.ledger.stateReceived(message.message, message.state, scopeOf(message.state, streamKey));
        else if (this.ctx.debug) this.ctx.out.log('DEBUG', `Ignoring ${message.messageType} message on line ${message.line}`);
        return undefined;
      }
    }
  }

  private addRows(rows: EncodedRows): Promise<void> | undefined {
    this.progress.counters.recordsRead += rows.ends.length;
    this.deletes?.rowsAdded(rows);
    const adding = this.batchers.add(rows, this.ledger.recordsReceived(rows.stream, rows.ends.length));
    return adding ? adding.then(() => this.afterRows()) : this.afterRows();
  }

  private afterRows(): Promise<void> | undefined {
    this.showProgress();
    if (this.scheduler.backlog >= MAX_BACKLOG_FILES) return this.scheduler.waitForBacklogBelow(MAX_BACKLOG_FILES);
    this.scheduler.throwIfFailed();
    this.deletes?.queue.throwIfFailed();
    this.rejects?.throwIfFailed();
    return undefined;
  }

  private stopEarly(): void {
    this.ctx.out.log('WARN', `Stopping on request: ${this.ledger.heldCount} state(s) not echoed because their data is not yet imported; jobs already in Marketo finish there`);
  }

  private flushOld(): void {
    this.rejects?.storeIfDue();
    const limit = Date.now() - this.config.batching.flush_interval_seconds * 1000;
    this.batchers.flushOlderThan(limit);
    this.deletes?.flushOlderThan(limit);
  }

  private showProgress(): void {
    const { counters } = this.progress;
    const jobs = this.scheduler.jobs;
    counters.jobsQueued = jobs.queued;
    counters.jobsImporting = jobs.importing;
    counters.jobsComplete = this.scheduler.counts.completed;
    this.progress.tick();
  }
}
