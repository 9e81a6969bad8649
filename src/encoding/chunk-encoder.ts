/**
 * Turns a chunk of input lines into file rows: each record parsed, converted and written as a UTF-8 CSV line of its
 * stream, ready to be copied into a file. Everything here is plain data in and plain data out, so a chunk can be
 * encoded in a worker thread and the result handed back without copying (see encoder-pool.ts); the main thread then
 * only places rows into files, in input order.
 */
import type { FailureType } from '../protocol/errors.js';
import { ConnectorError } from '../protocol/errors.js';
import type { LineChunk } from '../protocol/line-chunks.js';
import { streamKey } from '../protocol/messages.js';
import { messagesOf, type InputMessage } from '../protocol/reader.js';
import type { CellOptions } from './cell-values.js';
import type { Column } from './columns.js';
import { createLineStringifier, type LineStringifier } from './csv-line.js';
import type { FileFormat } from '../marketo/file-format.js';
import { DeletionEncoder, type EncodedDeletion, type EncoderDeletes } from './deletion-encoder.js';
import { keptRecord, type KeptRecord } from './kept-record.js';
import { hash52 } from './lookup-hash.js';
import { RowEncoder } from './row-encoder.js';

/** A program and a status: the record fields that hold them, or their values in one row (data activation). */
export interface ProgramStatus {
  programId: string;
  status: string;
}

/** One stream as the encoder sees it. */
export interface EncoderStream {
  /** streamKey(name, namespace). */
  key: string;
  columns: Column[];
  /** Header positions of the lookup fields, whose values identify a row in Marketo. */
  keyColumns: number[];
  /** Set for program members whose program and status come from each record: rows are then split by both. */
  group?: ProgramStatus;
  /** Set for streams with deletions: those records become `delete` items, in their place among the rows. */
  deletes?: EncoderDeletes;
}

export interface EncoderPlan {
  streams: EncoderStream[];
  format: FileFormat;
  /** batching.max_file_bytes: a row that does not fit a file on its own is rejected here. */
  maxBytes: number;
  /** Unset: DEFAULT_CELL_OPTIONS. */
  cells?: CellOptions;
}

/** Consecutive rows of one stream (and of one group), between two states. */
export interface EncodedRows {
  kind: 'rows';
  stream: string;
  group?: ProgramStatus;
  /** The rows as UTF-8 lines, record delimiters included. */
  bytes: Uint8Array;
  /** Where each row ends in `bytes`. */
  ends: Uint32Array;
  /** hash52 of each row's lookup values. */
  keys: Float64Array;
  /** Each row's record `emitted_at`, for the files of rejected records. */
  emittedAt: Float64Array;
  /** Each row's lookup values as text, for grouped rows only: a whole group may turn out to be rejected. */
  lookups?: string[];
}

export type EncodedItem =
  | EncodedRows
  | EncodedDeletion
  /** A record that is not sent: it cannot be converted, is too large, or lacks its program or status. */
  | LocallyRejected
  /** A record field outside the stream's schema, reported once per encoder. */
  | { kind: 'unknown_field'; stream: string; field: string }
  /** A row written with U+FFFD for text UTF-8 cannot carry: invalid UTF-8 in the input, or an unpaired surrogate. */
  | { kind: 'replaced_text'; stream: string; line: number }
  | { kind: 'unknown_stream'; line: number; stream: string; namespace?: string }
  /** STATE and OTHER messages, in their place among the rows. */
  | { kind: 'message'; message: Exclude<InputMessage, { type: 'RECORD' }> };

/** A record the encoder rejects, kept (as received) for the files of rejected records. */
export interface LocallyRejected extends KeptRecord {
  kind: 'rejected';
  stream: string;
  reason: string;
  lookup: string;
  emittedAt: number;
}

type RecordMessage = Extract<InputMessage, { type: 'RECORD' }>;

/** A ConnectorError as plain data. */
export interface EncodeFailure {
  message: string;
  failureType: FailureType;
  internalMessage?: string;
}

export interface EncodedChunk {
  items: EncodedItem[];
  /** RECORD messages in the chunk up to `failure`, rejected ones included. */
  records: number;
  /** The chunk's input fails at a line: `items` hold everything before it. */
  failure?: EncodeFailure;
}

/** Every ArrayBuffer of an encoded chunk, for postMessage's transfer list. */
export function transferablesOf(chunk: EncodedChunk): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const item of chunk.items) {
    if (item.kind === 'rows') buffers.push(item.bytes.buffer as ArrayBuffer, item.ends.buffer as ArrayBuffer, item.keys.buffer as ArrayBuffer, item.emittedAt.buffer as ArrayBuffer);
  }
  return buffers;
}

function toFailure(error: unknown): EncodeFailure {
  if (error instanceof ConnectorError) {
    const { message, failureType, internalMessage } = error;
    return internalMessage === undefined ? { message, failureType } : { message, failureType, internalMessage };
  }
  const internalMessage = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { message: 'The connector failed while encoding records.', failureType: 'system_error', internalMessage };
}

export function fromFailure(failure: EncodeFailure): ConnectorError {
  const { message, failureType, internalMessage } = failure;
  return new ConnectorError(message, failureType, internalMessage === undefined ? {} : { internalMessage });
}

interface StreamEncoder {
  stream: EncoderStream;
  encoder: RowEncoder;
  line: LineStringifier;
  /** Bytes of the header line: a row must fit beside it. */
  headerBytes: number;
  deletion?: DeletionEncoder;
}

/** Rows being gathered for one EncodedRows item. */
class RowsBuilder {
  text = '';
  readonly charEnds: number[] = [];
  readonly keys: number[] = [];
  readonly emittedAt: number[] = [];
  readonly lookups: string[] = [];

  constructor(
    readonly stream: string,
    readonly group: ProgramStatus | undefined,
  ) {}

  add(line: string, lookup: string, emittedAt: number): void {
    this.text += line;
    this.charEnds.push(this.text.length);
    this.keys.push(hash52(lookup));
    this.emittedAt.push(emittedAt);
    if (this.group) this.lookups.push(lookup);
  }

  build(): EncodedRows {
    const { text, charEnds } = this;
    // Its own ArrayBuffer, of exactly this size, so that it can be transferred.
    const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
    bytes.write(text);
    const ends = new Uint32Array(charEnds.length);
    if (bytes.length === text.length) {
      ends.set(charEnds);
    } else {
      // Some character takes more than one byte: each row is measured.
      let start = 0;
      let end = 0;
      charEnds.forEach((charEnd, i) => {
        end += Buffer.byteLength(text.slice(start, charEnd));
        ends[i] = end;
        start = charEnd;
      });
    }
    const rows: EncodedRows = { kind: 'rows', stream: this.stream, bytes, ends, keys: Float64Array.from(this.keys), emittedAt: Float64Array.from(this.emittedAt) };
    if (this.group) {
      rows.group = this.group;
      rows.lookups = this.lookups;
    }
    return rows;
  }
}

export class ChunkEncoder {
  readonly #streams = new Map<string, StreamEncoder>();
  readonly #maxBytes: number;

  constructor(plan: EncoderPlan) {
    this.#maxBytes = plan.maxBytes;
    const line = createLineStringifier(plan.format);
    for (const stream of plan.streams) {
      const known = stream.group ? [stream.group.programId, stream.group.status] : [];
      const headerBytes = Buffer.byteLength(line(stream.columns.map((c) => c.name)));
      const deletion = stream.deletes && new DeletionEncoder(stream.columns, stream.deletes, plan.cells);
      this.#streams.set(stream.key, { stream, encoder: new RowEncoder(stream.columns, known, plan.cells), line, headerBytes, ...(deletion ? { deletion } : {}) });
    }
  }

  encode(chunk: LineChunk): EncodedChunk {
    const items: EncodedItem[] = [];
    // Rows wait here until a state (or the chunk's end) puts them in place, in the order their streams first came.
    const open = new Map<string, RowsBuilder>();
    const closeRows = (): void => {
      for (const rows of open.values()) items.push(rows.build());
      open.clear();
    };
    let records = 0;
    try {
      for (const message of messagesOf(chunk)) {
        if (message.type !== 'RECORD') {
          if (message.type === 'STATE') closeRows();
          items.push({ kind: 'message', message });
          continue;
        }
        records++;
        const key = streamKey(message.stream, message.namespace);
        const target = this.#streams.get(key);
        if (!target) {
          closeRows();
          const { line, stream, namespace } = message;
          items.push(namespace === undefined ? { kind: 'unknown_stream', line, stream } : { kind: 'unknown_stream', line, stream, namespace });
          break;
        }
        if (target.deletion?.isDeletion(message.data)) {
          // The stream's rows so far go first: a deletion keeps its place among them.
          for (const [openKey, rows] of open) {
            if (rows.stream !== key) continue;
            items.push(rows.build());
            open.delete(openKey);
          }
          const deletion = target.deletion.encode(key, message.data, message.emittedAt);
          // A deletion not applied is a rejected record like any other, kept as received for rejected-record storage.
          items.push(deletion.kind === 'rejected' ? { ...deletion, ...keptRecord(message.data), emittedAt: message.emittedAt } : deletion);
          continue;
        }
        this.#encodeRecord(target, message, items, open);
      }
    } catch (error) {
      closeRows();
      return { items, records, failure: toFailure(error) };
    }
    closeRows();
    return { items, records };
  }

  #encodeRecord(target: StreamEncoder, record: RecordMessage, items: EncodedItem[], open: Map<string, RowsBuilder>): void {
    const { stream, encoder } = target;
    const { data } = record;
    for (const field of encoder.newUnknownFields(data)) items.push({ kind: 'unknown_field', stream: stream.key, field });
    let group: ProgramStatus | undefined;
    if (stream.group) {
      const programId = data[stream.group.programId];
      const status = data[stream.group.status];
      const missing = programId === undefined || programId === null || programId === '' ? stream.group.programId : typeof status !== 'string' || status === '' ? stream.group.status : undefined;
      if (missing !== undefined) return this.#reject(items, target, `Value for field '${missing}' not found`, record);
      group = { programId: String(programId), status: status as string };
    }
    const encoded = encoder.encode(data);
    if (!encoded.ok) return this.#reject(items, target, encoded.reason, record);
    const line = target.line(encoded.cells);
    const lookup = lookupOf(stream.keyColumns, encoded.cells);
    // UTF-8 takes at most 3 bytes per UTF-16 unit: only a line that might not fit is measured.
    if (target.headerBytes + 3 * line.length > this.#maxBytes && target.headerBytes + Buffer.byteLength(line) > this.#maxBytes) {
      return this.#reject(items, target, 'the row alone is larger than batching.max_file_bytes', record, lookup);
    }
    // Only a row with text beyond Latin-1 can hold an unpaired surrogate, so the check costs next to nothing otherwise.
    if (!line.isWellFormed() || (record.invalidUtf8 && line.includes('\uFFFD'))) items.push({ kind: 'replaced_text', stream: stream.key, line: record.line });
    const openKey = group ? `${stream.key}\u0000${group.programId}\u0000${group.status}` : stream.key;
    let rows = open.get(openKey);
    if (!rows) open.set(openKey, (rows = new RowsBuilder(stream.key, group)));
    rows.add(line, lookup, record.emittedAt);
  }

  #reject(items: EncodedItem[], target: StreamEncoder, reason: string, record: RecordMessage, lookup?: string): void {
    const { columns, keyColumns } = target.stream;
    const shown = lookup ?? keyColumns.map((i) => String(record.data[columns[i]!.source] ?? '')).join(',');
    items.push({ kind: 'rejected', stream: target.stream.key, reason: `${reason} (input line ${record.line})`, lookup: shown, ...keptRecord(record.data), emittedAt: record.emittedAt });
  }
}

function lookupOf(keyColumns: number[], cells: string[]): string {
  if (keyColumns.length === 1) return cells[keyColumns[0]!] ?? '';
  return keyColumns.map((i) => cells[i] ?? '').join('\u0000');
}
