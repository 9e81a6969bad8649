import type { BufferPool } from './buffer-pool.js';
import { CsvFileBuilder, type CsvFile } from './csv-file.js';
import type { FileFormat } from '../marketo/file-format.js';
import type { EncodedRows } from '../encoding/chunk-encoder.js';
import type { ImportTarget } from '../marketo/bulk-import.js';
import type { Interval } from './checkpoints.js';
import { KeyHashesBuilder } from './key-hashes.js';
import type { ResolvedStream } from './stream-target.js';

export interface BatcherOptions {
  format: FileFormat;
  maxBytes: number;
  pool?: BufferPool;
}

/** A file just cut from one stream's rows. */
export interface CutFile {
  stream: string;
  /** streamKey of the stream. */
  streamKey: string;
  target: ImportTarget;
  targetKey: string;
  /** Sorted hashes of the rows' lookup values. */
  keys: Float64Array;
  csv: CsvFile<Interval>;
  /** Each row's record emitted_at. */
  emittedAt: Float64Array;
}

export interface BatcherHooks {
  onFile: (file: CutFile) => void;
  /** Rows are not sent (their program or status cannot be imported): they settle as rejected. */
  onRejected: (stream: ResolvedStream, interval: Interval, reason: string, rows: EncodedRows) => void;
}

/** Turns one stream's encoded rows into size-bounded files, each handed on as soon as it is cut. */
export class StreamBatcher {
  private readonly builder: CsvFileBuilder<Interval>;
  private readonly keys = new KeyHashesBuilder();
  private emittedAt: number[] = [];

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

  /** Adds rows that all belong to `interval`, cutting as many files as they fill. */
  add(rows: EncodedRows, interval: Interval): void {
    const count = rows.ends.length;
    let from = 0;
    while (from < count) {
      const to = this.builder.push(rows, from, interval);
      this.keys.add(rows.keys, from, to);
      for (let i = from; i < to; i++) this.emittedAt.push(rows.emittedAt[i]!);
      if (to < count) this.flush();
      from = to;
    }
  }

  /** Cuts the current file, if any, and hands it on. */
  flush(): void {
    const csv = this.builder.cut();
    if (!csv) return;
    const keys = this.keys.seal();
    const emittedAt = Float64Array.from(this.emittedAt);
    this.emittedAt = [];
    this.hooks.onFile({ stream: this.stream.name, streamKey: this.stream.key, target: this.stream.target, targetKey: this.stream.targetKey, keys, csv, emittedAt });
  }

  get bufferedBytes(): number {
    return this.builder.rowCount > 0 ? this.builder.byteLength : 0;
  }

  get oldestRowAt(): number | undefined {
    return this.builder.createdAt;
  }
}
