import { BufferPool } from '../batching/buffer-pool.js';
import type { FileFormat } from '../batching/format.js';
import type { Config } from '../config/schema.js';
import { describeTarget } from '../marketo/bulk-import.js';
import type { RunContext } from '../protocol/destination.js';
import { fromFailure, type EncodedItem, type EncodedRows, type EncoderPlan } from '../batching/chunk-encoder.js';
import { defaultEncoderThreads, encodeChunks } from '../batching/encoder-pool.js';
import { configError } from '../protocol/errors.js';
import type { LineChunk } from '../protocol/line-chunks.js';
import { streamKey } from '../protocol/messages.js';
import { CheckpointLedger, scopeOf, type Interval } from '../pipeline/checkpoints.js';
import { Progress } from '../pipeline/progress.js';
import { JobScheduler, type CompletedJob } from '../pipeline/scheduler.js';
import { ProgramMemberGroups, type GroupCheck } from '../pipeline/program-member-groups.js';
import { KeptFile, TempDir } from '../pipeline/kept-file.js';
import { StreamBatcher, type BatcherHooks, type CutFile, type ResolvedStream } from '../pipeline/stream-batcher.js';
import { PROGRAM_ID_COLUMN, STATUS_COLUMN } from './activation.js';
import { RejectedRows, type RejectsOptions } from './rejected-rows.js';
import { RowLogger } from './row-logger.js';
import type { MarketoSession } from './session.js';

/** Cut files waiting for a job slot; past this the writer stops reading stdin (back-pressure). */
const MAX_BACKLOG_FILES = 1;
/** How often the age of open files is checked, so that states flow even when the input is idle. */
const AGE_CHECK_MS = 1000;

type Batcher = StreamBatcher | ProgramMemberGroups;

/** One `write` run: records → batchers → scheduler → Marketo, with the ledger releasing states. */
export class WriteSync {
  private readonly ledger: CheckpointLedger;
  private readonly scheduler: JobScheduler;
  private readonly batchers = new Map<string, Batcher>();
  private readonly progress: Progress;
  private readonly rows: RowLogger;
  private readonly memoryBudget: number;
  private readonly tempDir = new TempDir();
  private readonly plan: EncoderPlan;
  /** `stream\0field` of every unknown field already warned about: each encoder thread reports its own. */
  private readonly unknownFields = new Set<string>();
  private readonly rejects: RejectedRows;

  constructor(
    private readonly config: Config,
    streams: ResolvedStream[],
    session: MarketoSession,
    private readonly ctx: RunContext,
    checkGroup: GroupCheck,
    rejects: Pick<RejectsOptions, 'store' | 'generations'>,
  ) {
    const format: FileFormat = config.file_format;
    const maxBytes = config.batching.max_file_bytes;
    this.memoryBudget = Math.max(3 * maxBytes, 16 * 1024 * 1024);
    const pool = new BufferPool(maxBytes);
    this.progress = new Progress({
      stderr: ctx.stderr,
      log: (message) => ctx.out.log('INFO', message),
      apiCalls: () => session.client.apiCalls,
    });
    this.rows = new RowLogger((level, message) => ctx.out.log(level, message));
    this.ledger = new CheckpointLedger((message) => {
      this.progress.counters.statesEchoed++;
      void ctx.out.emit(message);
    });
    this.rejects = new RejectedRows(this.ledger, { ...rejects, format, flushIntervalMs: config.batching.flush_interval_seconds * 1000 });
    this.scheduler = new JobScheduler({
      api: session.bulk,
      format,
      maxInFlight: config.batching.max_jobs_in_flight,
      initialPollMs: config.polling.initial_interval_seconds * 1000,
      maxPollMs: config.polling.max_interval_seconds * 1000,
      jobTimeoutMs: config.polling.job_timeout_minutes * 60_000,
      signal: ctx.signal,
      onComplete: (job) => this.settle(job),
      onChange: () => this.showProgress(),
      log: (level, message) => ctx.out.log(level, message),
    });
    const hooks: BatcherHooks = {
      onFile: ({ csv, ...file }: CutFile) => {
        this.progress.counters.filesCut++;
        this.progress.counters.bytesCut += csv.bytes.length;
        this.scheduler.enqueue({ ...file, rowCount: csv.rowCount, rowMeta: csv.rowMeta, body: new KeptFile(csv.bytes, this.tempDir, (bytes) => pool.give(bytes)) });
      },
      onRejected: (stream: ResolvedStream, interval: Interval, reason: string, rows: EncodedRows) => {
        this.progress.counters.rowsRejected += rows.ends.length;
        for (const lookup of rows.lookups ?? []) this.rows.rejected(stream.name, reason, lookup);
        void this.rejects.group(stream, interval, reason, rows);
      },
    };
    for (const stream of streams) {
      const batcher = stream.grouped
        ? new ProgramMemberGroups(stream, { format, maxBytes, pool }, hooks, checkGroup)
        : new StreamBatcher(stream, { format, maxBytes, pool }, hooks);
      this.batchers.set(stream.key, batcher);
    }
    const group = { programId: PROGRAM_ID_COLUMN, status: STATUS_COLUMN };
    this.plan = {
      format,
      maxBytes,
      streams: streams.map(({ key, columns, keyColumns, grouped }) => ({ key, columns, keyColumns, ...(grouped ? { group } : {}) })),
    };
  }

  async run(input: AsyncIterable<LineChunk>): Promise<void> {
    const { signal } = this.ctx;
    const onAbort = (): void => this.scheduler.stop();
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
      for (const batcher of this.batchers.values()) batcher.flush();
      await this.scheduler.drain();
      if (signal.aborted) return this.stopEarly();
      await this.rejects.storeAll();
      this.rows.finish();
      const stored = this.rejects.summary();
      if (stored) this.ctx.out.log('INFO', stored);
      this.progress.finish();
    } finally {
      clearInterval(ageTimer);
      signal.removeEventListener('abort', onAbort);
      this.tempDir.remove();
      await this.rejects.close();
    }
  }

  /** Hot path, once per run of rows: returns a promise only when reading must wait (a new program group, or back-pressure). */
  private apply(item: EncodedItem): Promise<void> | undefined {
    switch (item.kind) {
      case 'rows':
        return this.addRows(item);
      case 'rejected': {
        this.progress.counters.recordsRead++;
        const { stream } = this.batchers.get(item.stream)!;
        this.progress.counters.rowsRejected++;
        this.rows.rejected(stream.name, item.reason, item.lookup);
        return this.rejects.local(stream, this.ledger.recordsReceived(item.stream, 1), item);
      }
      case 'unknown_field': {
        const key = `${item.stream}\u0000${item.field}`;
        if (this.unknownFields.has(key)) return undefined;
        this.unknownFields.add(key);
        this.ctx.out.log('WARN', `Stream "${this.batchers.get(item.stream)!.stream.name}": field "${item.field}" is not in the stream's schema and is dropped`);
        return undefined;
      }
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
    const adding = this.batchers.get(rows.stream)!.add(rows, this.ledger.recordsReceived(rows.stream, rows.ends.length));
    return adding ? adding.then(() => this.afterRows()) : this.afterRows();
  }

  private afterRows(): Promise<void> | undefined {
    if (this.bufferedBytes() > this.memoryBudget) this.flushLargest();
    this.showProgress();
    if (this.scheduler.backlog >= MAX_BACKLOG_FILES) return this.scheduler.waitForBacklogBelow(MAX_BACKLOG_FILES);
    this.scheduler.throwIfFailed();
    this.rejects.throwIfFailed();
    return undefined;
  }

  private stopEarly(): void {
    this.ctx.out.log('WARN', `Stopping on request: ${this.ledger.heldCount} state(s) not echoed because their data is not yet imported; jobs already in Marketo finish there`);
  }

  private bufferedBytes(): number {
    let total = 0;
    for (const batcher of this.batchers.values()) total += batcher.bufferedBytes;
    return total;
  }

  /** Keeps memory bounded across many streams: the largest open file is sent early. */
  private flushLargest(): void {
    let largest: Batcher | undefined;
    for (const batcher of this.batchers.values()) {
      if (!largest || batcher.bufferedBytes > largest.bufferedBytes) largest = batcher;
    }
    largest?.flush();
  }

  private flushOld(): void {
    this.rejects.storeIfDue();
    const limit = Date.now() - this.config.batching.flush_interval_seconds * 1000;
    for (const batcher of this.batchers.values()) {
      const oldest = batcher.oldestRowAt;
      if (oldest !== undefined && oldest <= limit) batcher.flush();
    }
  }

  private showProgress(): void {
    const { counters } = this.progress;
    const jobs = this.scheduler.jobs;
    counters.jobsQueued = jobs.queued;
    counters.jobsImporting = jobs.importing;
    counters.jobsComplete = this.scheduler.counts.completed;
    this.progress.tick();
  }

  /** A job is Complete: its rows are settled, rejected ones counted against the state they came before. */
  private settle(job: CompletedJob): void {
    const { file, status } = job;
    const failed = new Set(job.failures.map((f) => f.rowIndex));
    const perInterval = new Map<Interval, { count: number; rejected: number }>();
    file.rowMeta.forEach((interval, row) => {
      let entry = perInterval.get(interval);
      if (!entry) perInterval.set(interval, (entry = { count: 0, rejected: 0 }));
      entry.count++;
      if (failed.has(row)) entry.rejected++;
    });
    // Failures Marketo counted but we could not match still count, against the latest rows of the file.
    let unmatched = job.unmatchedFailures;
    for (const entry of [...perInterval.values()].reverse()) {
      const extra = Math.min(unmatched, entry.count - entry.rejected);
      entry.rejected += extra;
      unmatched -= extra;
    }
    // Matched failures settle once stored with their records; the unmatched ones cannot be written, only counted.
    const { stream } = this.batchers.get(file.streamKey)!;
    const failedRows = this.rejects.failedInJob(stream, job);
    let rejected = 0;
    for (const [interval, entry] of perInterval) {
      const rows = failedRows.get(interval) ?? [];
      this.ledger.settle(interval, entry.count - rows.length, entry.rejected - rows.length);
      void this.rejects.add(stream, interval, rows.length, () => rows);
      rejected += entry.rejected;
    }
    const { counters } = this.progress;
    counters.rowsRejected += rejected;
    counters.rowsImported += file.rowCount - rejected;
    counters.rowsWarned += status.warned;
    this.rows.report(file.stream, status.batchId, job.failures, job.warnings, job.unmatchedFailures);
    this.ctx.out.log(
      'INFO',
      `Import job ${status.batchId} (${describeTarget(file.target)}, stream "${file.stream}") complete: ${file.rowCount} rows, ${status.failed} failed, ${status.warned} warned`,
    );
    this.ledger.release();
    this.showProgress();
  }
}
