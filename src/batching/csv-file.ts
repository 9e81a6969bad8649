import { createLineStringifier, type LineStringifier } from './csv-line.js';
import type { FileFormat } from './format.js';

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

/** 'full': the row was NOT added; cut() then push it again. 'too_large': header + row alone exceed maxBytes. */
export type PushResult = 'added' | 'full' | 'too_large';

export interface CsvFileBuilderOptions {
  header: string[];
  format: FileFormat;
  /** Upper bound of a file in UTF-8 bytes, header included; never exceeded. */
  maxBytes: number;
  now?: () => number;
}

// Working space starts small so idle streams cost little, and doubles up to maxBytes as rows arrive.
const INITIAL_CAPACITY = 64 * 1024;

/**
 * Fills one file at a time with rows, cutting before a row would take it past maxBytes.
 * Rows are encoded straight into one growing buffer. Keeping a file's rows as strings until cut()
 * measured about twice as slow: every row string then outlives the young generation.
 */
export class CsvFileBuilder<M> {
  readonly #header: string[];
  readonly #format: FileFormat;
  readonly #maxBytes: number;
  readonly #now: () => number;
  readonly #line: LineStringifier;
  readonly #headerLine: string;
  readonly #headerBytes: number;
  #buffer: Buffer;
  #length: number;
  #rowMeta: M[] = [];
  #createdAt: number | undefined;

  constructor(options: CsvFileBuilderOptions) {
    const { header, format, maxBytes, now = Date.now } = options;
    if (header.length === 0) throw new RangeError('a CSV file needs at least one column');
    this.#line = createLineStringifier(format);
    this.#headerLine = this.#line(header);
    this.#headerBytes = Buffer.byteLength(this.#headerLine);
    // The smallest row is at least a record delimiter, so a header this large leaves room for none.
    if (!Number.isSafeInteger(maxBytes) || this.#headerBytes >= maxBytes) {
      throw new RangeError(`maxBytes ${maxBytes} leaves no room for a row after the ${this.#headerBytes}-byte header`);
    }
    this.#header = [...header];
    this.#format = format;
    this.#maxBytes = maxBytes;
    this.#now = now;
    this.#buffer = this.#startFile();
    this.#length = this.#headerBytes;
  }

  push(cells: string[], meta: M): PushResult {
    if (cells.length !== this.#header.length) {
      throw new RangeError(`row has ${cells.length} cells but the header has ${this.#header.length}`);
    }
    const line = this.#line(cells);
    // UTF-8 takes at most 3 bytes per UTF-16 unit, so a line within that bound fits without being
    // measured first, and write() reports its exact size.
    let bytes = 3 * line.length;
    if (this.#length + bytes > this.#maxBytes) {
      bytes = Buffer.byteLength(line);
      if (this.#headerBytes + bytes > this.#maxBytes) return 'too_large';
      if (this.#length + bytes > this.#maxBytes) return 'full';
    }
    this.#reserve(bytes);
    this.#length += this.#buffer.write(line, this.#length);
    this.#createdAt ??= this.#now();
    this.#rowMeta.push(meta);
    return 'added';
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
    if (this.#createdAt === undefined) return undefined;
    const file: CsvFile<M> = {
      // A copy of exactly the file's bytes, so nothing else shares its memory.
      bytes: Buffer.from(this.#buffer.subarray(0, this.#length)),
      rowCount: this.#rowMeta.length,
      rowMeta: this.#rowMeta,
      createdAt: this.#createdAt,
      format: this.#format,
      header: [...this.#header],
    };
    this.#buffer = this.#startFile();
    this.#length = this.#headerBytes;
    this.#rowMeta = [];
    this.#createdAt = undefined;
    return file;
  }

  #startFile(): Buffer {
    const buffer = Buffer.allocUnsafe(Math.min(this.#maxBytes, Math.max(INITIAL_CAPACITY, this.#headerBytes)));
    buffer.write(this.#headerLine, 0);
    return buffer;
  }

  #reserve(bytes: number): void {
    const needed = this.#length + bytes;
    if (needed <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.min(this.#maxBytes, Math.max(needed, 2 * this.#buffer.length)));
    this.#buffer.copy(grown, 0, 0, this.#length);
    this.#buffer = grown;
  }
}
