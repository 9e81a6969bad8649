import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvFileBuilder, type CsvFile } from '../../src/pipeline/csv-file.js';
import { DELIMITERS, type FileFormat } from '../../src/marketo/file-format.js';
import { encodedLines, pushRow } from '../helpers/rows.js';

const bytesOf = (text: string): number => Buffer.byteLength(text, 'utf8');

const readRows = (file: CsvFile<unknown>): string[][] => parse(file.bytes, { delimiter: DELIMITERS[file.format] });

describe('CsvFileBuilder', () => {
  const header = ['email', 'name'];
  const headerBytes = bytesOf('email,name\r\n');

  it('counts exact UTF-8 bytes and accepts a row that brings the file exactly to maxBytes', () => {
    const row = ['中@例.tw', '😀 "x"'];
    const rowBytes = bytesOf('中@例.tw,"😀 ""x"""\r\n');
    const builder = new CsvFileBuilder<number>({ header, format: 'csv', maxBytes: headerBytes + 2 * rowBytes });
    expect(pushRow(builder, row, 0)).toBe('added');
    expect(builder.byteLength).toBe(headerBytes + rowBytes);
    expect(pushRow(builder, row, 1)).toBe('added');
    expect(pushRow(builder, ['a', 'b'], 2)).toBe('full');
    const file = builder.cut();
    expect(file?.bytes.length).toBe(headerBytes + 2 * rowBytes);
    expect(file?.rowMeta).toEqual([0, 1]);
  });

  it('reports full, without adding, one byte before the limit', () => {
    const rowBytes = bytesOf('a@x,ā\r\n');
    const builder = new CsvFileBuilder<string>({ header, format: 'csv', maxBytes: headerBytes + 2 * rowBytes - 1 });
    expect(pushRow(builder, ['a@x', 'ā'], 'first')).toBe('added');
    expect(pushRow(builder, ['a@x', 'ā'], 'second')).toBe('full');
    expect(builder.rowCount).toBe(1);
    expect(builder.byteLength).toBe(headerBytes + rowBytes);
    expect(builder.cut()?.rowMeta).toEqual(['first']);
  });

  it('still adds a smaller row that fits after a larger one was refused', () => {
    const builder = new CsvFileBuilder<number>({ header, format: 'csv', maxBytes: headerBytes + 11 });
    expect(pushRow(builder, ['abc', 'de'], 0)).toBe('added'); // 8 bytes
    expect(pushRow(builder, ['abc', 'de'], 1)).toBe('full');
    expect(pushRow(builder, [',', ''], 2)).toBe('full'); // '",",\r\n' is 6 bytes
    expect(pushRow(builder, ['', ''], 3)).toBe('added'); // ',\r\n' is 3 bytes
    expect(builder.cut()?.rowMeta).toEqual([0, 3]);
  });

  it('refuses a row that cannot fit even an empty file (the encoder rejects those first)', () => {
    const builder = new CsvFileBuilder<number>({ header, format: 'csv', maxBytes: headerBytes + 10 });
    expect(() => pushRow(builder, ['x'.repeat(8), ''], 0)).toThrow(RangeError); // 11 bytes
    expect(builder.rowCount).toBe(0);
    expect(builder.createdAt).toBeUndefined();
    expect(pushRow(builder, ['y'.repeat(7), ''], 1)).toBe('added'); // exactly 10 bytes
    expect(pushRow(builder, ['x'.repeat(8), ''], 2)).toBe('full');
    expect(builder.cut()?.rowMeta).toEqual([1]);
  });

  it('adds as many rows of a run as fit, and the rest after a cut, all with the run\'s meta', () => {
    const rows = encodedLines(Array.from({ length: 100 }, (_, i) => [`${i}@x`, 'ā'.repeat(i % 7)]));
    const maxBytes = headerBytes + rows.ends[40]!; // rows 0..40 fit exactly
    const builder = new CsvFileBuilder<string>({ header, format: 'csv', maxBytes });
    expect(builder.push(rows, 0, 'run')).toBe(41);
    expect(builder.byteLength).toBe(maxBytes);
    expect(builder.push(rows, 41, 'run')).toBe(41);
    const first = builder.cut()!;
    expect(first.rowMeta).toEqual(Array(41).fill('run'));
    // Rows from 41 while their total stays within the room a file has (rows differ in size).
    let fits = 41;
    while (fits < 100 && rows.ends[fits]! - rows.ends[40]! <= rows.ends[40]!) fits++;
    expect(fits).toBeLessThan(100);
    expect(builder.push(rows, 41, 'rest')).toBe(fits);
    const second = builder.cut()!;
    expect(second.bytes.subarray(headerBytes)).toEqual(Buffer.from(rows.bytes.subarray(rows.ends[40], rows.ends[fits - 1])));
    expect(second.rowMeta).toEqual(Array(fits - 41).fill('rest'));
    expect(builder.push(rows, fits, 'last')).toBe(100);
    expect(builder.push(rows, 100, 'none')).toBe(100);
    expect(builder.rowCount).toBe(100 - fits);
  });

  it('writes large files byte for byte, file after file', () => {
    const builder = new CsvFileBuilder<number>({ header, format: 'csv', maxBytes: 1_000_000 });
    for (const round of [1, 2]) {
      const rows = Array.from({ length: 6_000 }, (_, i) => [`${round}-${i}@例え.jp`, i % 3 === 0 ? '😀, "quoted"' : 'ā'.repeat(i % 50)]);
      rows.forEach((row, i) => expect(pushRow(builder, row, i)).toBe('added'));
      const lines = rows.map(([email, name]) => `${email},${name === '😀, "quoted"' ? '"😀, ""quoted"""' : name}\r\n`);
      const expected = Buffer.from(`email,name\r\n${lines.join('')}`);
      expect(expected.length).toBeGreaterThan(200_000);
      expect(builder.byteLength).toBe(expected.length);
      expect(builder.cut()?.bytes.equals(expected)).toBe(true);
    }
  });

  it('counts a lone surrogate as the 3 bytes UTF-8 writes for it', () => {
    const row = ['\uD800', 'x'];
    const rowBytes = Buffer.byteLength('\uD800,x\r\n');
    expect(rowBytes).toBe(7);
    const builder = new CsvFileBuilder<number>({ header, format: 'csv', maxBytes: headerBytes + 2 * rowBytes });
    expect(pushRow(builder, row, 0)).toBe('added');
    expect(pushRow(builder, row, 1)).toBe('added');
    expect(pushRow(builder, ['', ''], 2)).toBe('full');
    expect(builder.cut()?.bytes.length).toBe(headerBytes + 2 * rowBytes);
  });

  it('stamps createdAt with the clock at the first row and resets on cut', () => {
    let now = 1_000;
    const builder = new CsvFileBuilder<number>({ header, format: 'csv', maxBytes: 1_000, now: () => now });
    expect(builder.createdAt).toBeUndefined();
    pushRow(builder, ['a', 'b'], 0);
    now = 2_000;
    pushRow(builder, ['c', 'd'], 1);
    expect(builder.createdAt).toBe(1_000);
    expect(builder.cut()?.createdAt).toBe(1_000);
    expect(builder.createdAt).toBeUndefined();
    now = 3_000;
    pushRow(builder, ['e', 'f'], 2);
    expect(builder.cut()?.createdAt).toBe(3_000);
  });

  it('cuts a complete file and starts an empty one', () => {
    const builder = new CsvFileBuilder<{ id: number }>({ header: ['a', 'b;c'], format: 'ssv', maxBytes: 1_000 });
    expect(builder.cut()).toBeUndefined();
    expect(builder.byteLength).toBe(bytesOf('a;"b;c"\r\n'));
    pushRow(builder, ['1', 'x;y'], { id: 1 }, 'ssv');
    pushRow(builder, ['', 'z'], { id: 2 }, 'ssv');
    const file = builder.cut();
    expect(file).toEqual({
      bytes: Buffer.from('a;"b;c"\r\n1;"x;y"\r\n;z\r\n'),
      rowCount: 2,
      rowMeta: [{ id: 1 }, { id: 2 }],
      createdAt: expect.any(Number),
      format: 'ssv',
      header: ['a', 'b;c'],
    });
    expect(builder.rowCount).toBe(0);
    expect(builder.byteLength).toBe(bytesOf('a;"b;c"\r\n'));
    expect(builder.cut()).toBeUndefined();
  });

  it('writes UTF-8 without a byte order mark', () => {
    const builder = new CsvFileBuilder<number>({ header: ['名前'], format: 'csv', maxBytes: 100 });
    pushRow(builder, ['値'], 0);
    expect(builder.cut()?.bytes).toEqual(Buffer.from('名前\r\n値\r\n', 'utf8'));
  });

  it('is not affected by later changes to the header array it was given', () => {
    const given = ['a', 'b'];
    const builder = new CsvFileBuilder<number>({ header: given, format: 'csv', maxBytes: 100 });
    given[0] = 'changed';
    pushRow(builder, ['1', '2'], 0);
    const file = builder.cut();
    expect(file?.header).toEqual(['a', 'b']);
    expect(file?.bytes.toString()).toBe('a,b\r\n1,2\r\n');
  });

  it('refuses settings that leave no room for a row', () => {
    expect(() => new CsvFileBuilder({ header: [], format: 'csv', maxBytes: 100 })).toThrow(RangeError);
    expect(() => new CsvFileBuilder({ header, format: 'csv', maxBytes: headerBytes })).toThrow(/no room/);
    expect(() => new CsvFileBuilder({ header, format: 'csv', maxBytes: 1.5 })).toThrow(RangeError);
    expect(pushRow(new CsvFileBuilder({ header, format: 'csv', maxBytes: headerBytes + 3 }), ['', ''], 0)).toBe('added');
  });
});

describe.each<FileFormat>(['csv', 'tsv', 'ssv'])('filling files in %s', (format) => {
  it('keeps every file within maxBytes, as full as possible, with all rows in order', () => {
    const header = ['id', 'text', 'more'];
    const maxBytes = 300;
    const pieces = ['plain', 'a,b', 'tab\there', 'semi;colon', 'q"uote', 'line\nbreak', 'cr\rhere', '中文', '😀', '\u0000'];
    const rows = Array.from({ length: 400 }, (_, i) => [
      String(i),
      Array.from({ length: i % 9 }, (__, j) => pieces[(i + j) % pieces.length]).join(' '),
      i % 5 === 0 ? '' : 'x'.repeat(i % 37),
    ]);
    const builder = new CsvFileBuilder<number>({ header, format, maxBytes });
    const files: CsvFile<number>[] = [];
    for (const [index, row] of rows.entries()) {
      let result = pushRow(builder, row, index, format);
      if (result === 'full') {
        files.push(builder.cut() as CsvFile<number>);
        result = pushRow(builder, row, index, format);
      }
      expect(result).toBe('added');
    }
    files.push(builder.cut() as CsvFile<number>);

    expect(files.length).toBeGreaterThan(5);
    for (const [n, file] of files.entries()) {
      expect(file.bytes.length).toBeLessThanOrEqual(maxBytes);
      const [fileHeader, ...fileRows] = readRows(file);
      expect(fileHeader).toEqual(header);
      expect(fileRows).toEqual(file.rowMeta.map((index) => rows[index]));
      const next = files[n + 1];
      if (next !== undefined) {
        // The row that opened the next file did not fit in this one.
        const firstOfNext = next.bytes.length - bytesOfFileWithout(next, 1);
        expect(file.bytes.length + firstOfNext).toBeGreaterThan(maxBytes);
      }
    }
    expect(files.flatMap((file) => file.rowMeta)).toEqual(rows.map((_, index) => index));
  });
});

/** Byte size of `file` if its first `skip` data rows were left out. */
function bytesOfFileWithout(file: CsvFile<number>, skip: number): number {
  const builder = new CsvFileBuilder<number>({ header: file.header, format: file.format, maxBytes: 1_000_000 });
  for (const row of readRows(file).slice(1 + skip)) pushRow(builder, row, 0, file.format);
  return builder.byteLength;
}
