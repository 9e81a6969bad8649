import type { CellOptions } from './cell-values.js';
import type { Column } from './columns.js';
import { hash52 } from './lookup-hash.js';
import { RowEncoder } from './row-encoder.js';

const CDC_DELETED_AT = '_ab_cdc_deleted_at';

/** How the records of one stream that are deletions are told apart and encoded. */
export interface EncoderDeletes {
  /** Every record is a deletion; otherwise only those whose `_ab_cdc_deleted_at` is set. */
  every: boolean;
  /** Deletions are not applied: each is rejected with this reason. */
  reject?: string;
  /** Positions, in the stream's columns, of the fields that name the deleted record. */
  key: number[];
  /** Record field holding the program of a program member, when each record names its own. */
  programId?: string;
}

/** A record to delete: its key values, converted like file cells, and the hash its import rows would have. */
export interface EncodedDeletion {
  kind: 'delete';
  stream: string;
  key: string[];
  programId?: string;
  /** hash52 of the key, as for a row of the same key (see the chunk encoder's lookup hash). */
  hash: number;
  lookup: string;
  /** The record's `emitted_at`, for rejected-record storage should Marketo refuse the deletion. */
  emittedAt: number;
}

export interface RejectedDeletion {
  kind: 'rejected';
  stream: string;
  reason: string;
  lookup: string;
}

export class DeletionEncoder {
  readonly #key: RowEncoder;
  readonly #names: string[];
  readonly #sources: string[];

  constructor(
    columns: Column[],
    private readonly deletes: EncoderDeletes,
    cells?: CellOptions,
  ) {
    const keyColumns = deletes.key.map((i) => columns[i]!);
    this.#key = new RowEncoder(keyColumns, [], cells);
    this.#names = keyColumns.map((c) => c.name);
    this.#sources = keyColumns.map((c) => c.source);
  }

  isDeletion(data: Record<string, unknown>): boolean {
    if (this.deletes.every) return true;
    const deletedAt = data[CDC_DELETED_AT];
    return deletedAt !== undefined && deletedAt !== null && deletedAt !== '';
  }

  encode(stream: string, data: Record<string, unknown>, emittedAt: number): EncodedDeletion | RejectedDeletion {
    const encoded = this.#key.encode(data);
    const shown = encoded.ok ? encoded.cells.join(',') : this.#sources.map((source) => String(data[source] ?? '')).join(',');
    if (this.deletes.reject !== undefined) return { kind: 'rejected', stream, reason: this.deletes.reject, lookup: shown };
    if (!encoded.ok) return { kind: 'rejected', stream, reason: encoded.reason, lookup: shown };
    const empty = encoded.cells.findIndex((cell) => cell === '');
    if (empty >= 0) return { kind: 'rejected', stream, reason: `Value for field '${this.#names[empty]}' not found`, lookup: shown };
    const deletion: EncodedDeletion = {
      kind: 'delete',
      stream,
      key: encoded.cells,
      hash: hash52(encoded.cells.length === 1 ? encoded.cells[0]! : encoded.cells.join('\u0000')),
      lookup: shown,
      emittedAt,
    };
    if (this.deletes.programId !== undefined) {
      const programId = data[this.deletes.programId];
      if (programId === undefined || programId === null || programId === '') {
        return { kind: 'rejected', stream, reason: `Value for field '${this.deletes.programId}' not found`, lookup: shown };
      }
      deletion.programId = String(programId);
    }
    return deletion;
  }
}
