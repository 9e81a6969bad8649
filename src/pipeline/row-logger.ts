import type { RowReport } from '../marketo/row-report.js';

/** Failed and warned rows (and dropped fields) are logged once each, at most this many per stream, then only counted. */
const MAX_ROWS_LOGGED = 100;

type Log = (level: 'WARN' | 'INFO', message: string) => void;

interface StreamEntry {
  failed: number;
  warned: number;
  suppressedFailed: number;
  suppressedWarned: number;
  /** Unknown fields already reported: each encoder thread reports its own. */
  unknownFields: Set<string>;
  /** Rows written with U+FFFD in place of text UTF-8 cannot carry, and the input line of the first. */
  replaced: number;
  firstReplacedLine: number;
}

/**
 * Reports rows Marketo failed (WARN) or warned about (INFO), rows rejected before sending, fields dropped because the
 * stream's schema lacks them, and rows whose text was replaced.
 */
export class RowLogger {
  private readonly logged = new Map<string, StreamEntry>();

  constructor(private readonly log: Log) {}

  unknownField(stream: string, field: string): void {
    const { unknownFields } = this.entry(stream);
    if (unknownFields.has(field)) return;
    unknownFields.add(field);
    if (unknownFields.size <= MAX_ROWS_LOGGED) this.log('WARN', `Stream "${stream}": field "${field}" is not in the stream's schema and is dropped`);
  }

  replacedText(stream: string, line: number): void {
    const entry = this.entry(stream);
    if (entry.replaced++ === 0) entry.firstReplacedLine = line;
  }

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
      const unknown = entry.unknownFields.size - MAX_ROWS_LOGGED;
      if (unknown > 0) this.log('WARN', `Stream "${stream}": ${unknown} more field(s) not in the stream's schema dropped, not logged individually`);
      if (entry.replaced > 0) {
        this.log(
          'WARN',
          `Stream "${stream}": ${entry.replaced} row(s) held invalid UTF-8 or unpaired UTF-16 surrogates, written with U+FFFD in their place; the first on input line ${entry.firstReplacedLine}`,
        );
      }
    }
  }

  private entry(stream: string): StreamEntry {
    let entry = this.logged.get(stream);
    if (!entry) {
      entry = { failed: 0, warned: 0, suppressedFailed: 0, suppressedWarned: 0, unknownFields: new Set(), replaced: 0, firstReplacedLine: 0 };
      this.logged.set(stream, entry);
    }
    return entry;
  }
}
