// Progress and the final summary. stdout is pure protocol, so the live display goes to stderr; when stderr is
// not a terminal, progress becomes a periodic INFO log line instead (at most one every 30 s).

export interface Counters {
  recordsRead: number;
  filesCut: number;
  bytesCut: number;
  jobsQueued: number;
  jobsImporting: number;
  jobsComplete: number;
  rowsImported: number;
  rowsRejected: number;
  rowsWarned: number;
  statesEchoed: number;
  /** Deletions applied or found already absent, and the delete and lookup calls they cost. */
  rowsDeleted: number;
  deleteCalls: number;
  lookupCalls: number;
}

export interface ProgressOptions {
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  log: (message: string) => void;
  apiCalls: () => number;
  now?: () => number;
  logEveryMs?: number;
}

const TTY_REFRESH_MS = 200;

export class Progress {
  readonly counters: Counters = {
    recordsRead: 0,
    filesCut: 0,
    bytesCut: 0,
    jobsQueued: 0,
    jobsImporting: 0,
    jobsComplete: 0,
    rowsImported: 0,
    rowsRejected: 0,
    rowsWarned: 0,
    statesEchoed: 0,
    rowsDeleted: 0,
    deleteCalls: 0,
    lookupCalls: 0,
  };
  private readonly startedAt: number;
  private lastShown: number;
  private readonly now: () => number;
  private readonly tty: boolean;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.lastShown = this.startedAt;
    this.tty = options.stderr.isTTY === true;
  }

  line(): string {
    const c = this.counters;
    return `records read ${c.recordsRead} | files cut ${c.filesCut} | jobs queued ${c.jobsQueued}, importing ${c.jobsImporting}, complete ${c.jobsComplete} | rows rejected ${c.rowsRejected}${this.deletions(' | ')}`;
  }

  private get hasDeletions(): boolean {
    const c = this.counters;
    return c.rowsDeleted + c.deleteCalls + c.lookupCalls > 0;
  }

  /** Deletions and their calls, only in syncs that have any: `prefix` and `suffix` frame the text. */
  private deletions(prefix: string, suffix = ''): string {
    const c = this.counters;
    if (!this.hasDeletions) return '';
    return `${prefix}${c.rowsDeleted} deleted (${c.deleteCalls} delete calls, ${c.lookupCalls} lookup calls)${suffix}`;
  }

  /** Call whenever something changed; shows progress when it is due. */
  tick(): void {
    const now = this.now();
    if (this.tty) {
      if (now - this.lastShown < TTY_REFRESH_MS) return;
      this.options.stderr.write(`\r\x1b[2K${this.line()}`);
    } else {
      if (now - this.lastShown < (this.options.logEveryMs ?? 30_000)) return;
      this.options.log(`Progress: ${this.line()}`);
    }
    this.lastShown = now;
  }

  /** One LOG line for the platform, and a readable block on stderr for a person. */
  finish(): { line: string; block: string } {
    const c = this.counters;
    const seconds = (this.now() - this.startedAt) / 1000;
    const calls = this.options.apiCalls();
    const line = `Sync summary: ${c.recordsRead} records, ${c.filesCut} files, ${c.jobsComplete} jobs, ${c.rowsImported} imported, ${c.rowsRejected} rejected, ${c.rowsWarned} warned, ${this.deletions('', ', ')}${calls} API calls, ${seconds.toFixed(1)} s`;
    const block = [
      '',
      'destination-marketo-bulk summary',
      `  records read      ${c.recordsRead}`,
      `  files / jobs      ${c.filesCut} files (${(c.bytesCut / 1e6).toFixed(2)} MB), ${c.jobsComplete} jobs complete`,
      `  rows imported     ${c.rowsImported}`,
      `  rows rejected     ${c.rowsRejected}`,
      `  rows warned       ${c.rowsWarned}`,
      ...(this.hasDeletions ? [`  rows deleted      ${c.rowsDeleted} (${c.deleteCalls} delete calls, ${c.lookupCalls} lookup calls)`] : []),
      `  states echoed     ${c.statesEchoed}`,
      `  API calls         ${calls}`,
      `  duration          ${seconds.toFixed(1)} s (${seconds > 0 ? Math.round(c.recordsRead / seconds) : c.recordsRead} records/s)`,
      '',
    ].join('\n');
    this.options.log(line);
    this.options.stderr.write(`${this.tty ? '\r\x1b[2K' : ''}${block}`);
    return { line, block };
  }
}
