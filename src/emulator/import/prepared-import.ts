import { detach } from '../store/record-table.js';
import { forEachRecord } from './delimited.js';
import type { RowRules } from './rules.js';

export interface Counters {
  /** Rows imported, including those with a warning; failed rows are not counted. */
  processed: number;
  failed: number;
  warned: number;
}

export interface RowIssue {
  /** Position among the data rows (0 = first row after the header). */
  row: number;
  cells: readonly string[];
  reason: string;
}

export interface ImportResult extends Counters {
  failures: RowIssue[];
  warnings: RowIssue[];
}

/** Kept cells must not pin the uploaded text (see `detach`). */
const keep = (cells: readonly string[]): string[] => cells.map(detach);

/**
 * An upload checked when its job starts importing and applied when it completes. The file is read
 * twice, row by row, instead of being held as parsed rows: only failed and warned rows are kept.
 */
export class PreparedImport {
  private readonly failures: RowIssue[] = [];
  private readonly warnings: RowIssue[] = [];
  private rows = 0;

  private constructor(
    private text: string,
    private readonly delimiter: string,
    private readonly rules: RowRules,
  ) {}

  /** Parses and checks every row; throws DelimitedSyntaxError for a file that cannot be read. */
  static check(text: string, delimiter: string, rules: RowRules): PreparedImport {
    const prepared = new PreparedImport(text, delimiter, rules);
    prepared.eachRow((cells, row) => {
      const verdict = rules.check(cells);
      if (verdict && 'fail' in verdict) prepared.failures.push({ row, cells: keep(cells), reason: verdict.fail });
      else if (verdict) prepared.warnings.push({ row, cells: keep(cells), reason: verdict.warn });
      prepared.rows = row + 1;
    });
    return prepared;
  }

  get rowCount(): number {
    return this.rows;
  }

  /** Counters once the first `done` rows have been processed ("so far", while Importing). */
  countsAt(done: number): Counters {
    const failed = countBelow(this.failures, done);
    return { processed: done - failed, failed, warned: countBelow(this.warnings, done) };
  }

  /** Applies the rows that passed the checks in file order, so the last row for a key wins. */
  commit(stamp: string): ImportResult {
    const refused: RowIssue[] = [];
    let nextFailure = 0;
    this.eachRow((cells, row) => {
      if (this.failures[nextFailure]?.row === row) {
        nextFailure++;
        return;
      }
      const reason = this.rules.apply(cells, stamp);
      if (reason !== undefined) refused.push({ row, cells: keep(cells), reason });
    });
    this.text = '';
    const refusedRows = new Set(refused.map((r) => r.row));
    const failures = refused.length === 0 ? this.failures : [...this.failures, ...refused].sort((a, b) => a.row - b.row);
    const warnings = this.warnings.filter((w) => !refusedRows.has(w.row));
    return this.result(failures, warnings);
  }

  /** The result of the checks alone, applying nothing: what `commit` returns when the store refuses no row. */
  tally(): ImportResult {
    this.text = '';
    return this.result(this.failures, this.warnings);
  }

  private result(failures: RowIssue[], warnings: RowIssue[]): ImportResult {
    return { processed: this.rows - failures.length, failed: failures.length, warned: warnings.length, failures, warnings };
  }

  private eachRow(visit: (cells: string[], row: number) => void): void {
    let row = -1; // the header
    forEachRecord(this.text, this.delimiter, (cells) => {
      if (row >= 0) visit(cells, row);
      row++;
    });
  }
}

/** Number of issues (sorted by row) on rows before `limit`. */
function countBelow(sorted: readonly RowIssue[], limit: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.row < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
