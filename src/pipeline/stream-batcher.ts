import type { BufferPool } from '../batching/buffer-pool.js';
import { CsvFileBuilder, type CsvFile } from '../batching/csv-file.js';
import type { FileFormat } from '../batching/format.js';
import type { RowEncoder } from '../batching/row-encoder.js';
import type { Column } from '../batching/columns.js';
import type { ImportTarget } from '../marketo/bulk-import.js';
import type { Interval } from './checkpoints.js';
import { KeyHashesBuilder } from './key-hashes.js';

/** Where one catalog stream's rows go, and as which columns. */
export interface StreamTarget {
  key: string;
  name: string;
  namespace?: string;
  target: ImportTarget;
  targetKey: string;
  columns: Column[];
  /** Program members whose program and status come from each row (data activation). */
  grouped?: boolean;
}

/** A stream checked against Marketo: ready to be encoded and cut into files. */
export interface ResolvedStream extends StreamTarget {
  encoder: RowEncoder;
  /** Header positions of the lookup/dedupe fields; their values identify a row in Marketo. */
  keyColumns: number[];
}

export interface BatcherOptions {
  format: FileFormat;
  maxBytes: number;
  pool?: BufferPool;
}

/** A file just cut from one stream's rows. */
export interface CutFile {
  stream: string;
  target: ImportTarget;
  targetKey: string;
  /** Sorted hashes of the rows' lookup values. */
  keys: Float64Array;
  csv: CsvFile<Interval>;
}

export interface BatcherHooks {
  onFile: (file: CutFile) => void;
  /** A row is not sent (it cannot be converted, or is too large): it settles as rejected. */
  onRejected: (stream: ResolvedStream, interval: Interval, reason: string, lookup: string) => void;
  onUnknownField: (stream: ResolvedStream, field: string) => void;
}

/** Turns one stream's records into size-bounded files, each handed on as soon as it is cut. */
export class StreamBatcher {
  private readonly builder: CsvFileBuilder<Interval>;
  private readonly keys = new KeyHashesBuilder();

  constructor(
    readonly stream: ResolvedStream,
    options: BatcherOptions,
    private readonly hooks: BatcherHooks,
  ) {
    this.builder = new CsvFileBuilder<Interval>({
      header: stream.columns.map((c) => c.name),
      format: options.format,
      maxBytes: options.maxBytes,
      pool: options.pool,
    });
  }

  add(data: Record<string, unknown>, interval: Interval): void {
    for (const field of this.stream.encoder.newUnknownFields(data)) this.hooks.onUnknownField(this.stream, field);
    const encoded = this.stream.encoder.encode(data);
    if (!encoded.ok) return this.reject(interval, encoded.reason, data);
    let result = this.builder.push(encoded.cells, interval);
    if (result === 'full') {
      this.flush();
      result = this.builder.push(encoded.cells, interval);
    }
    if (result === 'too_large') {
      return this.reject(interval, 'the row alone is larger than batching.max_file_bytes', data, encoded.cells);
    }
    this.keys.add(this.lookupOf(encoded.cells));
  }

  /** Cuts the current file, if any, and hands it on. */
  flush(): void {
    const csv = this.builder.cut();
    if (!csv) return;
    const keys = this.keys.seal();
    this.hooks.onFile({ stream: this.stream.name, target: this.stream.target, targetKey: this.stream.targetKey, keys, csv });
  }

  get bufferedBytes(): number {
    return this.builder.rowCount > 0 ? this.builder.byteLength : 0;
  }

  get oldestRowAt(): number | undefined {
    return this.builder.createdAt;
  }

  private lookupOf(cells: string[]): string {
    const { keyColumns } = this.stream;
    if (keyColumns.length === 1) return cells[keyColumns[0]!] ?? '';
    return keyColumns.map((i) => cells[i] ?? '').join('\u0000');
  }

  private reject(interval: Interval, reason: string, data: Record<string, unknown>, cells?: string[]): void {
    const lookup = cells
      ? this.lookupOf(cells)
      : this.stream.keyColumns.map((i) => String(data[this.stream.columns[i]!.source] ?? '')).join(',');
    this.hooks.onRejected(this.stream, interval, reason, lookup);
  }
}
