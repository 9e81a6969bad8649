import { DelimitedSyntaxError } from '../import/delimited.js';
import { CountedImport } from '../import/counted-import.js';
import { PreparedImport, type Counters, type ImportResult } from '../import/prepared-import.js';
import type { RowRules } from '../import/rules.js';
import type { ImportObject } from '../timeline.js';

export type JobStatus = 'Queued' | 'Importing' | 'Complete' | 'Failed';

/** What a create call hands to the engine. */
export interface ImportSpec {
  object: Exclude<ImportObject, 'foreign'>;
  apiName?: string;
  programId?: number;
  delimiter: string;
  header: readonly string[];
  text: string;
  fileBytes: number;
  rules: RowRules;
}

/** A job as tests and the control API see it. */
export interface JobView {
  batchId: number;
  object: ImportObject;
  apiName?: string;
  programId?: number;
  status: JobStatus;
  /** Data rows in the file; known once the job starts importing. */
  rows?: number;
  processed: number;
  failed: number;
  warned: number;
  message?: string;
  queuedAt: number;
  startedAt?: number;
  endedAt?: number;
  foreign: boolean;
  fileBytes: number;
}

const NO_COUNTS: Counters = { processed: 0, failed: 0, warned: 0 };

/** Marketo's status message for a finished import (templates from the DOCS examples). */
export function completionMessage({ processed, failed, warned }: Counters): string {
  const imported = `${processed} records imported (${processed} members)`;
  const failures = failed > 0 ? `, ${failed} failed` : '';
  const warnings = warned > 0 ? `, ${warned} warning.` : '';
  return `${failed > 0 ? 'Import completed with errors' : 'Import succeeded'}, ${imported}${failures}${warnings}`;
}

/** One import job (or a foreign one occupying the queue) through Queued → Importing → Complete | Failed. */
export class Job {
  status: JobStatus = 'Queued';
  startedAt?: number;
  /** Scheduled end while Importing; undefined for a foreign job held until released. */
  endAt?: number;
  endedAt?: number;
  message?: string;
  /** Data rows in the file, known once the job has started. */
  rows?: number;
  /** Set by a scripted fault or an unreadable file: the job ends Failed with this message. */
  failure?: string;
  result?: ImportResult;
  private text?: string;
  private prepared?: PreparedImport | CountedImport;
  private speed = { rowsPerSecond: Infinity, latencyMs: 0 };

  constructor(
    readonly batchId: number,
    readonly queuedAt: number,
    readonly spec: ImportSpec | { object: 'foreign'; durationMs?: number },
  ) {
    if (spec.object !== 'foreign') this.text = spec.text;
  }

  get foreign(): boolean {
    return this.spec.object === 'foreign';
  }

  /** Parses and checks the file (or only counts its rows, with `countOnly`), then schedules the end from the speed settings. */
  start(at: number, rowsPerSecond: number, latencyMs: number, countOnly = false): void {
    this.status = 'Importing';
    this.startedAt = at;
    const { spec } = this;
    if (spec.object === 'foreign') {
      this.endAt = spec.durationMs === undefined ? undefined : at + spec.durationMs;
      return;
    }
    this.speed = { rowsPerSecond, latencyMs };
    try {
      this.prepared = countOnly ? CountedImport.count(this.text ?? '') : PreparedImport.check(this.text ?? '', spec.delimiter, spec.rules);
    } catch (error) {
      if (!(error instanceof DelimitedSyntaxError)) throw error;
      this.failure ??= `Unable to parse the import file: ${error.message}`;
    }
    this.text = undefined;
    this.rows = this.prepared?.rowCount ?? 0;
    this.endAt = at + latencyMs + (this.rows / rowsPerSecond) * 1000;
  }

  /** Ends the job at its scheduled time; a successful job lands its rows in the store, unless `discard`. */
  finish(discard = false): void {
    this.endedAt = this.endAt;
    const stamp = new Date(this.endedAt ?? 0).toISOString();
    if (this.failure !== undefined) {
      this.status = 'Failed';
      this.message = this.failure;
    } else {
      const { prepared } = this;
      this.result = discard || !(prepared instanceof PreparedImport) ? prepared?.tally() : prepared.commit(stamp);
      this.status = 'Complete';
      this.message = completionMessage(this.result ?? NO_COUNTS);
    }
    this.prepared = undefined;
  }

  /** Counters at `now`: partial while Importing, as the SPEC's "so far" describes. */
  counts(now: number): Counters {
    if (this.status === 'Complete') return this.result ?? NO_COUNTS;
    if (this.status !== 'Importing' || !this.prepared || this.startedAt === undefined) return NO_COUNTS;
    const elapsed = now - this.startedAt - this.speed.latencyMs;
    const done = elapsed <= 0 ? 0 : Math.floor((elapsed * this.speed.rowsPerSecond) / 1000);
    return this.prepared.countsAt(Math.min(this.prepared.rowCount, done));
  }

  view(now: number): JobView {
    const { spec } = this;
    return {
      batchId: this.batchId,
      object: spec.object,
      ...(spec.object !== 'foreign' && spec.apiName !== undefined ? { apiName: spec.apiName } : {}),
      ...(spec.object !== 'foreign' && spec.programId !== undefined ? { programId: spec.programId } : {}),
      status: this.status,
      ...(this.rows !== undefined ? { rows: this.rows } : {}),
      ...this.counts(now),
      ...(this.message !== undefined ? { message: this.message } : {}),
      queuedAt: this.queuedAt,
      ...(this.startedAt !== undefined ? { startedAt: this.startedAt } : {}),
      ...(this.endedAt !== undefined ? { endedAt: this.endedAt } : {}),
      foreign: this.foreign,
      fileBytes: spec.object === 'foreign' ? 0 : spec.fileBytes,
    };
  }
}
