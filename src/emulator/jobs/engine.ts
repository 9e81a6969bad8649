import type { Clock, RuntimeOptions } from '../options.js';
import type { Timeline } from '../timeline.js';
import { Job, type ImportSpec } from './job.js';

/** "The batchId remains valid for seven days" (DOCS, all three import pages). */
const RETENTION_MS = 7 * 24 * 3600 * 1000;

export interface FailJobSpec {
  /** 'next' = the next job created by a client; a number = that batchId (existing or future). */
  match: 'next' | number;
  message?: string;
  /** With 'next': every later job fails too, until the faults are cleared. */
  always?: boolean;
  /** The job is Failed as soon as it is created, and the create call answers Failed (DOCS: it may). */
  atCreate?: boolean;
}

/**
 * The bulk import queue: FIFO, at most `maxImporting` jobs Importing and `maxQueued` Queued +
 * Importing. Time is simulated: `advance()` replays every start and completion due by `clock.now()`
 * at the moment it was due, so an injected clock makes the engine fully deterministic. A timer
 * calls `advance()` when the next event is due, so the store fills without anyone polling.
 */
export class JobEngine {
  private readonly jobs = new Map<number, Job>();
  private readonly queue: Job[] = [];
  private readonly importing: Job[] = [];
  private nextBatchId = 1001;
  /** Simulated time of the last completion: no queued job can start before it. */
  private cursor = -Infinity;
  private failRules: FailJobSpec[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly options: RuntimeOptions,
    private readonly clock: Clock,
    private readonly timeline: Timeline,
    private readonly discardRows = false,
  ) {}

  inFlight(): number {
    return this.queue.length + this.importing.length;
  }

  /** Queues a client's job, or refuses it when the instance-wide queue is full (1016). */
  submit(spec: ImportSpec): Job | 'queue-full' {
    this.advance();
    if (this.inFlight() >= this.options.maxQueued) return 'queue-full';
    const job = this.enqueue(spec);
    const rule = this.failRules.find((r) => r.match === 'next' || r.match === job.batchId);
    if (rule) {
      if (rule.atCreate) this.refuse(job, rule.message ?? 'Import failed');
      else job.failure = rule.message ?? 'Import failed';
      if (!(rule.match === 'next' && rule.always)) this.failRules = this.failRules.filter((r) => r !== rule);
    }
    this.schedule();
    return job;
  }

  /** Jobs of another integration sharing the queue; held until released unless given a duration. */
  queueForeign(count: number, durationMs?: number): number[] {
    this.advance();
    const ids = Array.from({ length: count }, () => this.enqueue({ object: 'foreign', durationMs }).batchId);
    this.advance();
    return ids;
  }

  /** Lets every held foreign job finish now. */
  releaseForeign(): void {
    this.advance();
    const now = this.clock.now();
    for (const job of [...this.queue, ...this.importing]) {
      if (job.spec.object === 'foreign' && job.spec.durationMs === undefined) job.spec.durationMs = 0;
      if (job.foreign && job.status === 'Importing' && job.endAt === undefined) job.endAt = now;
    }
    this.advance();
  }

  failJob(spec: FailJobSpec): void {
    this.advance();
    const existing = typeof spec.match === 'number' ? this.jobs.get(spec.match) : undefined;
    if (existing && existing.endedAt === undefined) existing.failure = spec.message ?? 'Import failed';
    else if (!existing) this.failRules.push(spec);
  }

  clearFailRules(): void {
    this.failRules = [];
  }

  /** Applies new speed or slot settings from now on; jobs already importing keep their schedule. */
  reconfigured(): void {
    this.advance();
    this.cursor = Math.max(this.cursor, this.clock.now());
    this.advance();
  }

  get(batchId: number): Job | undefined {
    this.advance();
    return this.jobs.get(batchId);
  }

  list(): Job[] {
    this.advance();
    return [...this.jobs.values()];
  }

  /** Replays every start and completion due by now, in time order. */
  advance(): void {
    const now = this.clock.now();
    for (;;) {
      this.fillSlots();
      const next = this.nextCompletion();
      if (!next || next.endAt === undefined || next.endAt > now) break;
      this.importing.splice(this.importing.indexOf(next), 1);
      next.finish(this.discardRows);
      this.cursor = next.endAt;
      const event = next.status === 'Failed' ? 'failed' : 'completed';
      this.timeline.job({ at: next.endAt, event, batchId: next.batchId, object: next.spec.object, foreign: next.foreign });
    }
    for (const [id, job] of this.jobs) {
      if (job.endedAt !== undefined && job.endedAt + RETENTION_MS < now) this.jobs.delete(id);
    }
    this.schedule();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private enqueue(spec: ImportSpec | { object: 'foreign'; durationMs?: number }): Job {
    const job = new Job(this.nextBatchId++, this.clock.now(), spec);
    this.jobs.set(job.batchId, job);
    this.queue.push(job);
    this.timeline.job({ at: job.queuedAt, event: 'queued', batchId: job.batchId, object: spec.object, foreign: job.foreign });
    return job;
  }

  /** Ends a job Failed before it ever queues: it takes no slot and lands nothing. */
  private refuse(job: Job, message: string): void {
    this.queue.splice(this.queue.indexOf(job), 1);
    job.endAt = job.queuedAt;
    job.failure = message;
    job.finish();
    this.timeline.job({ at: job.queuedAt, event: 'failed', batchId: job.batchId, object: job.spec.object, foreign: false });
  }

  private fillSlots(): void {
    while (this.importing.length < this.options.maxImporting) {
      const job = this.queue.shift();
      if (!job) return;
      const at = Math.max(this.cursor, job.queuedAt);
      job.start(at, this.options.rowsPerSecond, this.options.jobLatencyMs);
      this.importing.push(job);
      this.timeline.job({ at, event: 'started', batchId: job.batchId, object: job.spec.object, foreign: job.foreign });
    }
  }

  private nextCompletion(): Job | undefined {
    let next: Job | undefined;
    for (const job of this.importing) {
      if (job.endAt !== undefined && (next?.endAt === undefined || job.endAt < next.endAt)) next = job;
    }
    return next;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.closed) return;
    const wake = this.queue.length > 0 && this.importing.length < this.options.maxImporting ? this.clock.now() : this.nextCompletion()?.endAt;
    if (wake === undefined) return;
    this.timer = setTimeout(() => this.advance(), Math.max(0, wake - this.clock.now()));
    this.timer.unref();
  }
}
