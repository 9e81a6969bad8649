import { parse, type Options } from 'csv-parse/sync';
import { DELIMITERS, type FileFormat } from './file-format.js';

export interface RowReport {
  /** 0-based data row in our file. */
  rowIndex: number;
  reason: string;
}

export type ReasonColumn = 'Import Failure Reason' | 'Import Warning Reason';

export interface ReportMatch {
  /** Sorted by rowIndex. */
  matched: RowReport[];
  /** Report rows we could not tie to one of ours; `cells` are the report's cells without the reason. */
  unmatched: { cells: string[]; reason: string }[];
}

const parseOptions = (format: FileFormat): Options => ({
  delimiter: DELIMITERS[format],
  bom: true,
  relax_column_count: true,
  // Marketo's writer is not documented; tolerate a stray quote inside an unquoted field.
  relax_quotes: true,
  skip_empty_lines: true,
});

/** Where each of our columns sits in the report (-1: left out), and where the reason sits. */
interface Layout {
  reasonIndex: number;
  /** Undefined when the report has a column we never sent: its rows cannot be ours. */
  positions: number[] | undefined;
}

function layoutOf(ours: string[], reportHeader: string[], reasonColumn: ReasonColumn): Layout {
  const named = reportHeader.indexOf(reasonColumn);
  const reasonIndex = named === -1 ? reportHeader.length - 1 : named;
  const positionByName = new Map<string, number>();
  for (const [index, name] of reportHeader.entries()) {
    if (index === reasonIndex) continue;
    if (!ours.includes(name) || positionByName.has(name)) return { reasonIndex, positions: undefined };
    positionByName.set(name, index);
  }
  return { reasonIndex, positions: ours.map((name) => positionByName.get(name) ?? -1) };
}

// Marketo may leave out trailing empty cells, or whole empty columns, so anything missing counts as ''.
const keyOf = (row: string[], positions: number[]): string =>
  JSON.stringify(positions.map((position) => (position === -1 ? '' : (row[position] ?? ''))));

/** The data rows of a file we sent, as cells. */
export function sentRows(file: { bytes: Buffer; format: FileFormat }): string[][] {
  return (parse(file.bytes, parseOptions(file.format)) as string[][]).slice(1);
}

/**
 * Ties the rows of Marketo's failures or warnings file back to the rows of the file we sent, by value:
 * the report has no row numbers and no order. Equal rows of ours are handed out in file order.
 * Throws csv-parse's CsvError when either text is not parseable CSV.
 */
export function matchReportRows(
  file: { bytes: Buffer; format: FileFormat },
  reportCsv: string,
  reasonColumn: ReasonColumn,
): ReportMatch {
  const [reportHeader, ...reportRows] = parse(reportCsv, parseOptions(file.format));
  if (reportHeader === undefined || reportRows.length === 0) return { matched: [], unmatched: [] };
  const [ourHeader = [], ...ourRows] = parse(file.bytes, parseOptions(file.format));
  const { reasonIndex, positions } = layoutOf(ourHeader, reportHeader, reasonColumn);
  const reasonOf = (row: string[]): string => row[reasonIndex] ?? '';
  const withoutReason = (row: string[]): string[] => row.filter((_, index) => index !== reasonIndex);
  if (positions === undefined) {
    return { matched: [], unmatched: reportRows.map((row) => ({ cells: withoutReason(row), reason: reasonOf(row) })) };
  }

  const wanted = new Map<string, number[]>();
  for (const row of reportRows) wanted.set(keyOf(row, positions), []);
  const identity = ourHeader.map((_, index) => index);
  for (const [rowIndex, row] of ourRows.entries()) wanted.get(keyOf(row, identity))?.push(rowIndex);

  const matched: RowReport[] = [];
  const unmatched: ReportMatch['unmatched'] = [];
  for (const row of reportRows) {
    const rowIndex = wanted.get(keyOf(row, positions))?.shift();
    if (rowIndex === undefined) unmatched.push({ cells: withoutReason(row), reason: reasonOf(row) });
    else matched.push({ rowIndex, reason: reasonOf(row) });
  }
  matched.sort((a, b) => a.rowIndex - b.rowIndex);
  return { matched, unmatched };
}
