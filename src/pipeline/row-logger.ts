import type { RowReport } from '../marketo/row-report.js';

/** Failed and warned rows are logged once each, at most this many per stream, then only counted. */
const MAX_ROWS_LOGGED = 100;

type Log = (level: 'WARN' | 'INFO', message: string) => void;

/** Reports rows Marketo failed (WARN) or warned about (INFO), and rows rejected before sending. */
export class RowLogger {
  private readonly logged = new Map<string, { failed: number; warned: number; suppressedFailed: number; suppressedWarned: number }>();

  constructor(private readonly log: Log) {}

  rejected(stream: string, reason: string, lookup: string): void {
    const entry = this.entry(stream);
    if (entry.failed++ < MAX_ROWS_LOGGED) this.log('WARN', `Stream "${stream}": row ${lookup ? `"${lookup}" ` : ''}rejected: ${reason}`);
    else entry.suppressedFailed++;
  }

  report(stream: string, batchId: number, failures: RowReport[], warnings: RowReport[], unmatched: number): void {
    const entry = this.entry(stream);
    for (const failure of failures) {
      if (entry.failed++ < MAX_ROWS_LOGGED) {
        this.log('WARN', `Stream "${stream}": job ${batchId} row ${failure.rowIndex + 1} failed in Marketo: ${failure.reason}`);
      } else entry.suppressedFailed++;
    }
    if (unmatched > 0) this.log('WARN', `Stream "${stream}": job ${batchId} has ${unmatched} failed row(s) that could not be matched to a record`);
    for (const warning of warnings) {
      if (entry.warned++ < MAX_ROWS_LOGGED) {
        this.log('INFO', `Stream "${stream}": job ${batchId} row ${warning.rowIndex + 1} imported with a warning: ${warning.reason}`);
      } else entry.suppressedWarned++;
    }
  }

  /** The counts of rows that were not logged one by one. */
  finish(): void {
    for (const [stream, entry] of this.logged) {
      if (entry.suppressedFailed > 0) this.log('WARN', `Stream "${stream}": ${entry.suppressedFailed} more rejected row(s) not logged individually`);
      if (entry.suppressedWarned > 0) this.log('INFO', `Stream "${stream}": ${entry.suppressedWarned} more warned row(s) not logged individually`);
    }
  }

  private entry(stream: string) {
    let entry = this.logged.get(stream);
    if (!entry) this.logged.set(stream, (entry = { failed: 0, warned: 0, suppressedFailed: 0, suppressedWarned: 0 }));
    return entry;
  }
}
