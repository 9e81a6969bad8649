import { createLineStringifier } from '../encoding/csv-line.js';
import type { BufferPool } from './buffer-pool.js';
import type { FileFormat } from '../marketo/file-format.js';

/** One finished import file and, for each data row in it, what the caller attached to that row. */
export interface CsvFile<M> {
  bytes: Buffer;
  rowCount: number;
  rowMeta: M[];
  /** ms, when the first row was added. */
  createdAt: number;
  format: FileFormat;
  header: string[];
}

/** Rows already written as UTF-8 lines (record delimiters included), and where each one ends. */
export interface EncodedLines {
  bytes: Uint8Array;
  ends: Uint32Array;
}

export interface CsvFileBuilderOptions {
  header: string[];
  format: FileFormat;
  /** Upper bound of a file in UTF-8 bytes, header included; never exceeded. */
  maxBytes: number;
  now?: () => number;
  /** Where file buffers of maxBytes come from; a fresh allocation each when absent. */
  pool?: BufferPool;
}

/**
 * Fills one file at a time with encoded rows, cutting before a row would take it past maxBytes.
 * Each file is one maxBytes buffer that rows are copied into, runs of rows at a time, so a full file is
 * handed over without a copy.
 */
export class CsvFileBuilder<M> {
  readonly #header: string[];
  readonly #format: FileFormat;
  readonly #maxBytes: number;
  readonly #now: () => number;
  readonly #pool: BufferPool | undefined;
  readonly #headerLine: string;
  readonly #headerBytes: number;
  /** Allocated at a file's first row: untouched pages of it cost no memory. */
  #buffer: Buffer | undefined;
  /** Bytes in #buffer. */
  #length: number;
  #rowMeta: M[] = [];
  #createdAt: number | undefined;

  constructor(options: CsvFileBuilderOptions) {
    const { header, format, maxBytes, now = Date.now, pool } = options;
    if (pool && pool.size !== maxBytes) throw new RangeError(`pool buffers of ${pool.size} bytes do not fit files of ${maxBytes}`);
    this.#pool = pool;
    if (header.length === 0) throw new RangeError('a CSV file needs at least one column');
    this.#headerLine = createLineStringifier(format)(header);
    this.#headerBytes = Buffer.byteLength(this.#headerLine);
    // The smallest row is at least a record delimiter, so a header this large leaves room for none.
    if (!Number.isSafeInteger(maxBytes) || this.#headerBytes >= maxBytes) {
      throw new RangeError(`maxBytes ${maxBytes} leaves no room for a row after the ${this.#headerBytes}-byte header`);
    }
    this.#header = [...header];
    this.#format = format;
    this.#maxBytes = maxBytes;
    this.#now = now;
    this.#length = this.#headerBytes;
  }

  /**
   * Adds rows `from`, `from + 1`, ... of `rows` while they fit, each with `meta`, and returns the index of the first
   * row not added: when that is not `rows.ends.length`, the file is full, so cut() it and push the rest.
   * A row that would not fit even an empty file is a RangeError: callers reject such rows before they get here.
   */
  push(rows: EncodedLines, from: number, meta: M): number {
    const { bytes, ends } = rows;
    const start = from === 0 ? 0 : ends[from - 1]!;
    const limit = start + this.#maxBytes - this.#length;
    let to = ends.length;
    if (ends[to - 1]! > limit) {
      // The first row that does not fit, by binary search: runs are long and files cut rarely.
      let low = from;
      let high = to - 1;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (ends[middle]! > limit) high = middle;
        else low = middle + 1;
      }
      to = low;
    }
    if (to === from) {
      if (this.#rowMeta.length === 0 && from < ends.length) throw new RangeError(`row ${from} does not fit a file of ${this.#maxBytes} bytes`);
      return from;
    }
    if (this.#buffer === undefined) {
      this.#buffer = this.#startFile();
      this.#createdAt = this.#now();
    }
    const end = ends[to - 1]!;
    this.#buffer.set(bytes.subarray(start, end), this.#length);
    this.#length += end - start;
    for (let i = from; i < to; i++) this.#rowMeta.push(meta);
    return to;
  }

  get rowCount(): number {
    return this.#rowMeta.length;
  }

  /** Size of the file cut() would return, header included (the header alone while empty). */
  get byteLength(): number {
    return this.#length;
  }

  get createdAt(): number | undefined {
    return this.#createdAt;
  }

  /** The file built so far, or undefined when it has no rows; the builder starts a new file. */
  cut(): CsvFile<M> | undefined {
    if (this.#buffer === undefined || this.#createdAt === undefined || this.#rowMeta.length === 0) return undefined;
    const used = this.#buffer.subarray(0, this.#length);
    const file: CsvFile<M> = {
      // A file cut early is copied out, so that it does not hold on to a mostly empty maxBytes buffer.
      bytes: 2 * this.#length > this.#maxBytes ? used : this.#copyOut(used),
      rowCount: this.#rowMeta.length,
      rowMeta: this.#rowMeta,
      createdAt: this.#createdAt,
      format: this.#format,
      header: [...this.#header],
    };
    this.#buffer = undefined;
    this.#length = this.#headerBytes;
    this.#rowMeta = [];
    this.#createdAt = undefined;
    return file;
  }

  #copyOut(used: Buffer): Buffer {
    const copy = Buffer.from(used);
    this.#pool?.give(this.#buffer!);
    return copy;
  }

  #startFile(): Buffer {
    const buffer = this.#pool?.take() ?? Buffer.allocUnsafe(this.#maxBytes);
    buffer.write(this.#headerLine, 0);
    return buffer;
  }
}
