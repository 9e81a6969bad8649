import { parseDelimited } from './delimited.js';
import type { RowRules, Verdict } from './rules.js';

export interface Counters {
  /** Rows imported, including those with a warning; failed rows are not counted. */
  processed: number;
  failed: number;
  warned: number;
}

export interface RowIssue {
  cells: readonly string[];
  reason: string;
}

export interface ImportResult extends Counters {
  failures: RowIssue[];
  warnings: RowIssue[];
}

/** An upload parsed and checked when its job starts importing, waiting to be applied on completion. */
export class PreparedImport {
  private readonly failedRows: number[] = [];
  private readonly warnedRows: number[] = [];
  private readonly verdicts: Verdict[];

  private constructor(
    private readonly records: string[][],
    private readonly rules: RowRules,
  ) {
    this.verdicts = new Array<Verdict>(records.length);
    for (let i = 1; i < records.length; i++) {
      const verdict = rules.check(records[i]!);
      this.verdicts[i] = verdict;
      if (verdict && 'fail' in verdict) this.failedRows.push(i - 1);
      else if (verdict) this.warnedRows.push(i - 1);
    }
  }

  /** Throws DelimitedSyntaxError for a file that cannot be read at all. */
  static parse(text: string, delimiter: string, rules: RowRules): PreparedImport {
    return new PreparedImport(parseDelimited(text, delimiter), rules);
  }

  get rowCount(): number {
    return Math.max(0, this.records.length - 1);
  }

  /** Counters once the first `done` rows have been processed ("so far", while Importing). */
  countsAt(done: number): Counters {
    const failed = countBelow(this.failedRows, done);
    return { processed: done - failed, failed, warned: countBelow(this.warnedRows, done) };
  }

  /** Applies the rows to the store in file order, so the last row for a key wins. */
  commit(stamp: string): ImportResult {
    const result: ImportResult = { processed: 0, failed: 0, warned: 0, failures: [], warnings: [] };
    for (let i = 1; i < this.records.length; i++) {
      const cells = this.records[i]!;
      const verdict = this.verdicts[i];
      if (verdict && 'fail' in verdict) {
        result.failures.push({ cells, reason: verdict.fail });
        continue;
      }
      const refused = this.rules.apply(cells, stamp);
      if (refused !== undefined) {
        result.failures.push({ cells, reason: refused });
        continue;
      }
      result.processed++;
      if (verdict) result.warnings.push({ cells, reason: verdict.warn });
    }
    result.failed = result.failures.length;
    result.warned = result.warnings.length;
    return result;
  }
}

/** Number of entries of a sorted array that are below `limit`. */
function countBelow(sorted: readonly number[], limit: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
