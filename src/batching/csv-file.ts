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

/**
 * Fills one file at a time with rows, cutting before a row would take it past maxBytes.
 * Rows are kept as text and turned into a Buffer once, in cut().
 */
export class CsvFileBuilder<M> {
  readonly #header: string[];
  readonly #format: FileFormat;
  readonly #maxBytes: number;
  readonly #now: () => number;
  readonly #line: LineStringifier;
  readonly #headerLine: string;
  readonly #headerBytes: number;
  #body = '';
  #bodyBytes = 0;
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
  }

  push(cells: string[], meta: M): PushResult {
    if (cells.length !== this.#header.length) {
      throw new RangeError(`row has ${cells.length} cells but the header has ${this.#header.length}`);
    }
    const line = this.#line(cells);
    const bytes = Buffer.byteLength(line);
    if (this.#headerBytes + bytes > this.#maxBytes) return 'too_large';
    if (this.#headerBytes + this.#bodyBytes + bytes > this.#maxBytes) return 'full';
    this.#createdAt ??= this.#now();
    this.#body += line;
    this.#bodyBytes += bytes;
    this.#rowMeta.push(meta);
    return 'added';
  }

  get rowCount(): number {
    return this.#rowMeta.length;
  }

  /** Size of the file cut() would return, header included (the header alone while empty). */
  get byteLength(): number {
    return this.#headerBytes + this.#bodyBytes;
  }

  get createdAt(): number | undefined {
    return this.#createdAt;
  }

  /** The file built so far, or undefined when it has no rows; the builder starts a new file. */
  cut(): CsvFile<M> | undefined {
    if (this.#createdAt === undefined) return undefined;
    const file: CsvFile<M> = {
      bytes: Buffer.from(this.#headerLine + this.#body, 'utf8'),
      rowCount: this.#rowMeta.length,
      rowMeta: this.#rowMeta,
      createdAt: this.#createdAt,
      format: this.#format,
      header: [...this.#header],
    };
    this.#body = '';
    this.#bodyBytes = 0;
    this.#rowMeta = [];
    this.#createdAt = undefined;
    return file;
  }
}
