import { describe, expect, it } from 'vitest';
import { CsvFileBuilder, type CsvFile } from '../../src/pipeline/csv-file.js';
import type { FileFormat } from '../../src/marketo/file-format.js';
import { matchReportRows } from '../../src/marketo/row-report.js';
import { pushRow } from '../helpers/rows.js';

function fileOf(header: string[], rows: string[][], format: FileFormat = 'csv'): CsvFile<number> {
  const builder = new CsvFileBuilder<number>({ header, format, maxBytes: 1_000_000 });
  rows.forEach((row, index) => pushRow(builder, row, index, format));
  return builder.cut() as CsvFile<number>;
}

const leads = fileOf(
  ['firstName', 'lastName', 'email', 'leadScore'],
  [
    ['Aerys', 'Targaryen', 'aerys@example.com', 'TEXT'],
    ['Jon', 'Snow', 'jon@example.com', '1'],
    ['Arya', 'Stark', 'arya@example.com', '2'],
    ['Sansa', 'Stark', '', ''],
  ],
);

describe('matchReportRows', () => {
  it("ties Marketo's documented failure row back to our row", () => {
    const report = [
      'firstName,lastName,email,leadScore,Import Failure Reason',
      'Aerys,Targaryen,aerys@example.com,TEXT,Invalid data type in field Lead Score',
    ].join('\n');
    expect(matchReportRows(leads, report, 'Import Failure Reason')).toEqual({
      matched: [{ rowIndex: 0, reason: 'Invalid data type in field Lead Score' }],
      unmatched: [],
    });
  });

  it('matches rows in any order and returns them by row index', () => {
    const report = [
      'firstName,lastName,email,leadScore,Import Warning Reason',
      'Arya,Stark,arya@example.com,2,Invalid email address',
      'Jon,Snow,jon@example.com,1,Invalid email address',
    ].join('\r\n');
    expect(matchReportRows(leads, report, 'Import Warning Reason').matched).toEqual([
      { rowIndex: 1, reason: 'Invalid email address' },
      { rowIndex: 2, reason: 'Invalid email address' },
    ]);
  });

  it('matches by header name when the report orders its columns differently', () => {
    const report = ['email,Import Failure Reason,leadScore,lastName,firstName', 'jon@example.com,bad,1,Snow,Jon'].join('\n');
    expect(matchReportRows(leads, report, 'Import Failure Reason').matched).toEqual([{ rowIndex: 1, reason: 'bad' }]);
  });

  it('tolerates empty trailing cells left out of the header or of the row', () => {
    const droppedColumns = ['firstName,lastName,Import Failure Reason', "Sansa,Stark,Value for lookup field 'email' not found"];
    expect(matchReportRows(leads, droppedColumns.join('\n'), 'Import Failure Reason').matched).toEqual([
      { rowIndex: 3, reason: "Value for lookup field 'email' not found" },
    ]);
    const shortRow = ['Import Failure Reason,firstName,lastName,email,leadScore', 'lookup missing,Sansa,Stark'];
    expect(matchReportRows(leads, shortRow.join('\n'), 'Import Failure Reason').matched).toEqual([
      { rowIndex: 3, reason: 'lookup missing' },
    ]);
  });

  it('gives duplicate rows of ours to duplicate report rows in file order, and reports extras as unmatched', () => {
    const file = fileOf(['email', 'n'], [['a@x', '1'], ['b@x', '2'], ['a@x', '1'], ['a@x', '1']]);
    const report = ['email,n,Import Failure Reason', 'a@x,1,first', 'a@x,1,second'].join('\n');
    expect(matchReportRows(file, report, 'Import Failure Reason').matched).toEqual([
      { rowIndex: 0, reason: 'first' },
      { rowIndex: 2, reason: 'second' },
    ]);
    const tooMany = ['email,n,Import Failure Reason', 'b@x,2,one', 'b@x,2,two'].join('\n');
    expect(matchReportRows(file, tooMany, 'Import Failure Reason')).toEqual({
      matched: [{ rowIndex: 1, reason: 'one' }],
      unmatched: [{ cells: ['b@x', '2'], reason: 'two' }],
    });
  });

  it('returns rows whose values we never sent as unmatched', () => {
    const report = ['firstName,lastName,email,leadScore,Import Failure Reason', 'Ned,Stark,ned@example.com,3,nope'].join('\n');
    expect(matchReportRows(leads, report, 'Import Failure Reason')).toEqual({
      matched: [],
      unmatched: [{ cells: ['Ned', 'Stark', 'ned@example.com', '3'], reason: 'nope' }],
    });
  });

  it("returns every row as unmatched when the report's header is not ours", () => {
    const report = ['color,make,model, vin,Import Failure Reason', 'red,bmw,2002,WBA4R7C55HK895912,missing.dedupe.fields'];
    expect(matchReportRows(leads, report.join('\n'), 'Import Failure Reason')).toEqual({
      matched: [],
      unmatched: [{ cells: ['red', 'bmw', '2002', 'WBA4R7C55HK895912'], reason: 'missing.dedupe.fields' }],
    });
  });

  it('takes the last column as the reason when the named one is absent', () => {
    const report = ['firstName,lastName,email,leadScore,Reason', 'Jon,Snow,jon@example.com,1,odd'].join('\n');
    expect(matchReportRows(leads, report, 'Import Failure Reason').matched).toEqual([{ rowIndex: 1, reason: 'odd' }]);
  });

  it('returns nothing for an empty report or one with only a header', () => {
    expect(matchReportRows(leads, '', 'Import Failure Reason')).toEqual({ matched: [], unmatched: [] });
    expect(matchReportRows(leads, 'firstName,Import Failure Reason\n', 'Import Failure Reason')).toEqual({
      matched: [],
      unmatched: [],
    });
  });

  it('ignores a byte order mark and blank lines in the report', () => {
    const report = '\uFEFFfirstName,lastName,email,leadScore,Import Failure Reason\n\nJon,Snow,jon@example.com,1,x\n\n';
    expect(matchReportRows(leads, report, 'Import Failure Reason').matched).toEqual([{ rowIndex: 1, reason: 'x' }]);
  });

  it.each<FileFormat>(['csv', 'tsv', 'ssv'])('matches quoted values with delimiters, quotes and newlines in %s', (format) => {
    const values = ['a,b;c\td', 'say "hi"', 'line\r\nbreak', '中文 😀', '\u0000'];
    const file = fileOf(['text'], [['plain'], ...values.map((v) => [v]), ['']], format);
    // Marketo's report: the rows we sent, in its own order, re-quoted the same way, plus a reason.
    const reportBuilder = new CsvFileBuilder<number>({ header: ['text', 'Import Failure Reason'], format, maxBytes: 10_000 });
    [...values].reverse().forEach((v, i) => pushRow(reportBuilder, [v, `reason ${i}`], i, format));
    pushRow(reportBuilder, ['', 'empty'], 99, format);
    const report = (reportBuilder.cut() as CsvFile<number>).bytes.toString('utf8');
    expect(matchReportRows(file, report, 'Import Failure Reason')).toEqual({
      matched: [
        { rowIndex: 1, reason: 'reason 4' },
        { rowIndex: 2, reason: 'reason 3' },
        { rowIndex: 3, reason: 'reason 2' },
        { rowIndex: 4, reason: 'reason 1' },
        { rowIndex: 5, reason: 'reason 0' },
        { rowIndex: 6, reason: 'empty' },
      ],
      unmatched: [],
    });
  });
});
