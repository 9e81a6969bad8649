// When to poll a job next. Polls are Marketo API calls, so the policy uses what it knows to spend few of them
// without delaying state: live progress counters, the processing rate seen on earlier jobs, and back-off.

export interface PollPolicyOptions {
  initialMs: number;
  maxMs: number;
}

export interface JobProgress {
  rows: number;
  /** Rows Marketo has handled so far (processed + failed), when it is Importing. */
  done?: number;
  /** When the job could start importing (it entered the window of jobs Marketo runs). */
  startedAt: number;
  /** The back-off interval to use when there is no estimate; doubled after each poll. */
  interval: number;
}

export class PollPolicy {
  /** Observed processing cost per row, an exponentially weighted mean. */
  private msPerRow: number | undefined;
  /** Whether msPerRow comes from progress counters, which are exact, rather than whole-job timings. */
  private fromProgress = false;

  constructor(private readonly options: PollPolicyOptions) {}

  /**
   * Learns from a job that completed: `rows` rows in `ms` since the connector saw it could start. That start is
   * seen late (after the poll that found the job ahead complete), so this overestimates the rate: it is used
   * only until progress counters have given a better one.
   */
  observe(rows: number, ms: number): void {
    if (rows <= 0 || ms <= 0 || this.fromProgress) return;
    this.learn(ms / rows);
  }

  /** Learns from two polls of one Importing job: `rows` more rows handled in `ms`. Needs no start time. */
  observeProgress(rows: number, ms: number): void {
    if (rows <= 0 || ms <= 0) return;
    if (!this.fromProgress) this.msPerRow = undefined;
    this.fromProgress = true;
    this.learn(ms / rows);
  }

  private learn(sample: number): void {
    this.msPerRow = this.msPerRow === undefined ? sample : this.msPerRow * 0.7 + sample * 0.3;
  }

  /** Milliseconds until the next poll of `job`, and the job's next back-off interval. */
  next(job: JobProgress, now: number): { delayMs: number; interval: number } {
    const { initialMs, maxMs } = this.options;
    const interval = Math.min(maxMs, job.interval * 2);
    const elapsed = Math.max(0, now - job.startedAt);
    let estimate: number | undefined;
    if (job.done !== undefined && this.fromProgress && this.msPerRow !== undefined) {
      estimate = (job.rows - job.done) * this.msPerRow;
    } else if (job.done !== undefined && job.done > 0 && elapsed > 0) {
      estimate = ((job.rows - job.done) * elapsed) / job.done;
    } else if (this.msPerRow !== undefined) {
      estimate = job.rows * this.msPerRow - elapsed;
    }
    if (estimate === undefined) return { delayMs: job.interval, interval };
    // Aim slightly past the predicted end so that one poll usually finds the job Complete.
    const delayMs = Math.min(maxMs, Math.max(initialMs, estimate * 1.05));
    return { delayMs, interval };
  }
}
