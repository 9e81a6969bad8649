import { parse } from 'csv-parse/sync';
import type { EncodedRows, LocallyRejected, ProgramStatus } from '../encoding/chunk-encoder.js';
import { DELIMITERS, type FileFormat } from '../marketo/file-format.js';
import { transientError } from '../protocol/errors.js';
import type { RejectStore, RejectStreamRef } from '../rejects/reject-store.js';
import { fieldOf, recordFromCells, type RejectedRow } from '../rejects/rejected-row.js';
import { StorageError } from '../rejects/storage-target.js';
import type { Interval } from './checkpoints.js';
import type { DeleteBatch, PendingDeletion } from './delete-runner.js';
import type { CompletedJob } from './scheduler.js';
import type { ResolvedStream } from './stream-target.js';

/** A state waits at most this long for rejects found before it to be stored (sooner with a shorter flush interval). */
const MAX_STORE_DELAY_MS = 60_000;

export interface RejectedRecordsOptions {
  store: RejectStore;
  streams: readonly ResolvedStream[];
  /** generation_id of each catalog stream, by streamKey. */
  generations: ReadonlyMap<string, number>;
  /** The record fields grouped program member rows take their program and status from. */
  groupFields: ProgramStatus;
  format: FileFormat;
  flushIntervalMs: number;
}

/**
 * The store of rejected records as the pipeline uses it: rejected rows become records of their stream, and the store
 * says when the file holding them is stored. RowOutcomes decides which rows go here and settles them once stored.
 *
 * The record of a row Marketo failed is rebuilt from the row we sent (its cells under the record's field names):
 * keeping every record as received until its job completes would double the memory and disk of every file for the few
 * rows that fail. Rows rejected before encoding are written as received.
 */
export class RejectedRecords {
  private readonly streams = new Map<string, { stream: ResolvedStream; ref: RejectStreamRef }>();
  private readonly store: RejectStore;
  private readonly storeDelayMs: number;

  constructor(private readonly options: RejectedRecordsOptions) {
    this.store = options.store;
    this.storeDelayMs = Math.min(MAX_STORE_DELAY_MS, options.flushIntervalMs);
    for (const stream of options.streams) this.streams.set(stream.key, { stream, ref: this.refOf(stream) });
  }

  /** Queues rows of one stream; `onStored` runs once their file is stored. A promise means: wait before adding more. */
  add(streamKey: string, rows: RejectedRow[], onStored: () => void): Promise<void> | undefined {
    return this.store.add(this.streams.get(streamKey)!.ref, rows, onStored);
  }

  /** A record the encoder rejected, as received. */
  local(item: LocallyRejected): RejectedRow {
    return { record: item.record, emittedAt: item.emittedAt, reason: item.reason, rejectedBy: 'connector', ...fieldIn(item.reason), ...(item.nulled ? { nulled: item.nulled } : {}) };
  }

  /** Encoded rows of a program and status that cannot be imported, each rebuilt from its row as for rows Marketo failed. */
  group(stream: ResolvedStream, reason: string, rows: EncodedRows): RejectedRow[] {
    const decoder = new TextDecoder();
    let start = 0;
    return Array.from(rows.ends, (end, i) => {
      const [cells = []] = parse(decoder.decode(rows.bytes.subarray(start, end)), { delimiter: DELIMITERS[this.options.format] }) as string[][];
      start = end;
      const record = { ...recordFromCells(stream.columns, cells), ...this.groupValues(rows.group) };
      return { record, emittedAt: rows.emittedAt[i]!, reason, rejectedBy: 'connector' as const, ...fieldIn(reason) };
    });
  }

  /** The rows of a completed job that Marketo failed and we matched, by the interval each belongs to. */
  failedInJob(job: CompletedJob): Map<Interval, RejectedRow[]> {
    const { file, status } = job;
    const { stream } = this.streams.get(file.streamKey)!;
    const group = file.target.kind === 'program_members' && stream.grouped ? { programId: String(file.target.programId), status: file.target.status } : undefined;
    const byInterval = new Map<Interval, RejectedRow[]>();
    for (const [i, failure] of job.failures.entries()) {
      const interval = file.rowMeta[failure.rowIndex]!;
      let rows = byInterval.get(interval);
      if (!rows) byInterval.set(interval, (rows = []));
      rows.push({
        record: { ...recordFromCells(stream.columns, job.failedCells[i]!), ...this.groupValues(group) },
        emittedAt: file.emittedAt[failure.rowIndex]!,
        reason: failure.reason,
        rejectedBy: 'marketo',
        batchId: status.batchId,
        ...fieldIn(failure.reason),
      });
    }
    return byInterval;
  }

  /** A deletion Marketo refused, rebuilt from the key that named it: a deletion keeps nothing else of its record. */
  deletion(batch: DeleteBatch, deletion: PendingDeletion, reason: string): RejectedRow {
    const { stream } = this.streams.get(batch.streamKey)!;
    const keyColumns = (batch.deletes.key ?? []).map((name) => stream.columns.find((column) => column.name === name) ?? { source: name });
    const program = deletion.programId === undefined ? {} : { [this.options.groupFields.programId]: deletion.programId };
    const record = { ...recordFromCells(keyColumns, deletion.key), ...program };
    return { record, emittedAt: deletion.emittedAt, reason, rejectedBy: 'marketo', ...fieldIn(reason) };
  }

  /** Stores what has waited long enough; called every second. */
  storeIfDue(): void {
    this.store.flushIfOlderThan(this.storeDelayMs);
  }

  throwIfFailed(): void {
    try {
      this.store.throwIfFailed();
    } catch (error) {
      throw asTransient(error);
    }
  }

  /** Stores every rejected row so far (end of input). */
  async storeAll(): Promise<void> {
    try {
      await this.store.flush();
    } catch (error) {
      throw asTransient(error);
    }
  }

  /** Where the rejected rows went, for the log; undefined when none were stored. */
  summary(): string | undefined {
    const { stored } = this.store;
    if (stored.rows === 0) return undefined;
    const shown = stored.files.slice(0, 10);
    const more = stored.files.length - shown.length;
    return `${stored.rows} rejected record(s) stored in ${stored.files.length} file(s): ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  }

  /** Ends the store: files not yet complete are given up (their rows were not counted, so they come again). */
  close(): Promise<void> {
    return this.store.abort();
  }

  private refOf(stream: ResolvedStream): RejectStreamRef {
    const { programId, status } = this.options.groupFields;
    return {
      key: stream.key,
      name: stream.name,
      ...(stream.namespace === undefined ? {} : { namespace: stream.namespace }),
      generationId: this.options.generations.get(stream.key) ?? 0,
      fields: [...stream.columns.map((column) => column.source), ...(stream.grouped ? [programId, status] : [])],
    };
  }

  /** The program and status of grouped program member rows, as the record held them. */
  private groupValues(group: ProgramStatus | undefined): Record<string, string> {
    const fields = this.options.groupFields;
    return group ? { [fields.programId]: group.programId, [fields.status]: group.status } : {};
  }
}

function fieldIn(reason: string): { field?: string } {
  const field = fieldOf(reason);
  return field === undefined ? {} : { field };
}

function asTransient(error: unknown): unknown {
  if (!(error instanceof StorageError)) return error;
  return transientError(`Rejected records could not be stored, so the states that count them were not echoed: ${error.message}`, { cause: error });
}
