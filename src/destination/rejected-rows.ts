import { parse } from 'csv-parse/sync';
import type { EncodedRows, LocallyRejected } from '../batching/chunk-encoder.js';
import { DELIMITERS, type FileFormat } from '../batching/format.js';
import type { CheckpointLedger, Interval } from '../pipeline/checkpoints.js';
import type { CompletedJob } from '../pipeline/scheduler.js';
import type { ResolvedStream } from '../pipeline/stream-batcher.js';
import { transientError } from '../protocol/errors.js';
import type { RejectStore, RejectStreamRef } from '../rejects/reject-store.js';
import { fieldOf, recordFromCells, type RejectedRow } from '../rejects/rejected-row.js';
import { StorageError } from '../rejects/storage-target.js';
import { PROGRAM_ID_COLUMN, STATUS_COLUMN } from './activation.js';

/** A state waits at most this long for rejects found before it to be stored (sooner with a shorter flush interval). */
const MAX_STORE_DELAY_MS = 60_000;

export interface RejectsOptions {
  /** Undefined when object_storage_config is None: rejected rows are then only counted and logged. */
  store: RejectStore | undefined;
  /** generation_id of each catalog stream, by streamKey. */
  generations: ReadonlyMap<string, number>;
  format: FileFormat;
  flushIntervalMs: number;
}

/**
 * Settles rejected rows in the ledger, and writes each to the store of rejected records first when there is one: a row
 * then settles (and the state after it may be echoed) only once the file holding it is stored.
 *
 * The record of a row Marketo failed is rebuilt from the row we sent (its cells under the record's field names):
 * keeping every record as received until its job completes would double the memory and disk of every file for the few
 * rows that fail. Rows rejected before sending are written as received.
 */
export class RejectedRows {
  private readonly refs = new Map<string, RejectStreamRef>();
  private readonly store: RejectStore | undefined;
  readonly storeDelayMs: number;

  constructor(
    private readonly ledger: CheckpointLedger,
    private readonly options: RejectsOptions,
  ) {
    this.store = options.store;
    this.storeDelayMs = Math.min(MAX_STORE_DELAY_MS, options.flushIntervalMs);
  }

  /** A record the encoder rejected. */
  local(stream: ResolvedStream, interval: Interval, item: LocallyRejected): Promise<void> | undefined {
    return this.add(stream, interval, 1, () => [{ record: item.record, emittedAt: item.emittedAt, reason: item.reason, rejectedBy: 'connector', ...fieldOf_(item.reason) }]);
  }

  /** Encoded rows of a program and status that cannot be imported. */
  group(stream: ResolvedStream, interval: Interval, reason: string, rows: EncodedRows): Promise<void> | undefined {
    return this.add(stream, interval, rows.ends.length, () => {
      // The records were encoded already: each is rebuilt from its row, as for rows Marketo failed.
      const decoder = new TextDecoder();
      let start = 0;
      return Array.from(rows.ends, (end, i) => {
        const [cells = []] = parse(decoder.decode(rows.bytes.subarray(start, end)), { delimiter: DELIMITERS[this.options.format] }) as string[][];
        start = end;
        const record = { ...recordFromCells(stream.columns, cells), ...groupFields(rows.group) };
        return { record, emittedAt: rows.emittedAt[i]!, reason, rejectedBy: 'connector' as const, ...fieldOf_(reason) };
      });
    });
  }

  /** The failed rows of a completed job, by interval; each interval's rows settle when they are stored. */
  failedInJob(stream: ResolvedStream, job: CompletedJob): Map<Interval, RejectedRow[]> {
    const { file, status } = job;
    const group = file.target.kind === 'program_members' && stream.grouped ? { programId: String(file.target.programId), status: file.target.status } : undefined;
    const byInterval = new Map<Interval, RejectedRow[]>();
    for (const [i, failure] of job.failures.entries()) {
      const interval = file.rowMeta[failure.rowIndex]!;
      let rows = byInterval.get(interval);
      if (!rows) byInterval.set(interval, (rows = []));
      rows.push({
        record: { ...recordFromCells(stream.columns, job.failedCells[i]!), ...groupFields(group) },
        emittedAt: file.emittedAt[failure.rowIndex]!,
        reason: failure.reason,
        rejectedBy: 'marketo',
        batchId: status.batchId,
        ...fieldOf_(failure.reason),
      });
    }
    return byInterval;
  }

  /** `count` rows of one interval are rejected: settled now without a store, or once the store holds them (`rows`). */
  add(stream: ResolvedStream, interval: Interval, count: number, rows: () => RejectedRow[]): Promise<void> | undefined {
    if (count === 0) return undefined;
    const settle = (): void => this.ledger.settle(interval, count, count);
    if (!this.store) {
      settle();
      return undefined;
    }
    return this.store.add(this.refOf(stream), rows(), () => {
      settle();
      this.ledger.release();
    });
  }

  /** Stores what has waited long enough; called every second. */
  storeIfDue(): void {
    this.store?.flushIfOlderThan(this.storeDelayMs);
  }

  throwIfFailed(): void {
    try {
      this.store?.throwIfFailed();
    } catch (error) {
      throw asTransient(error);
    }
  }

  /** Stores every rejected row so far (end of input). */
  async storeAll(): Promise<void> {
    try {
      await this.store?.flush();
    } catch (error) {
      throw asTransient(error);
    }
  }

  /** Where the rejected rows went, for the log; undefined when none were stored. */
  summary(): string | undefined {
    const stored = this.store?.stored;
    if (!stored || stored.rows === 0) return undefined;
    const shown = stored.files.slice(0, 10);
    const more = stored.files.length - shown.length;
    return `${stored.rows} rejected record(s) stored in ${stored.files.length} file(s): ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  }

  /** Ends the store: files not yet complete are given up (their rows were not counted, so they come again). */
  close(): Promise<void> {
    return this.store?.abort() ?? Promise.resolve();
  }

  private refOf(stream: ResolvedStream): RejectStreamRef {
    let ref = this.refs.get(stream.key);
    if (!ref) {
      ref = {
        key: stream.key,
        name: stream.name,
        ...(stream.namespace === undefined ? {} : { namespace: stream.namespace }),
        generationId: this.options.generations.get(stream.key) ?? 0,
        fields: [...stream.columns.map((column) => column.source), ...(stream.grouped ? [PROGRAM_ID_COLUMN, STATUS_COLUMN] : [])],
      };
      this.refs.set(stream.key, ref);
    }
    return ref;
  }
}

/** The program and status of grouped program member rows, as the record held them. */
function groupFields(group: { programId: string; status: string } | undefined): Record<string, string> {
  return group ? { [PROGRAM_ID_COLUMN]: group.programId, [STATUS_COLUMN]: group.status } : {};
}

function fieldOf_(reason: string): { field?: string } {
  const field = fieldOf(reason);
  return field === undefined ? {} : { field };
}

function asTransient(error: unknown): unknown {
  if (!(error instanceof StorageError)) return error;
  return transientError(`Rejected records could not be stored, so the states that count them were not echoed: ${error.message}`, { cause: error });
}
