// Client-side limiter so that the connector does not trip Marketo's instance-wide limits (606, 615) in the first
// place: at most `callsPerWindow` call starts in any sliding window, and at most `maxConcurrent` calls in progress.
// Waiters are served in FIFO order.

export interface LimiterOptions {
  callsPerWindow: number;
  windowMs: number;
  maxConcurrent: number;
  now?: () => number;
}

type Release = () => void;

export class CallLimiter {
  private readonly starts: number[] = [];
  private readonly waiters: Array<(release: Release) => void> = [];
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: LimiterOptions) {
    this.now = options.now ?? Date.now;
  }

  acquire(): Promise<Release> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.pump();
    });
  }

  /** Pushes the next allowed start back, e.g. after Marketo said 606 although we stayed under our own limit. */
  penalise(untilMs: number): void {
    // Filling the window with starts at the penalty time makes every waiter wait until it ends.
    this.starts.length = 0;
    for (let i = 0; i < this.options.callsPerWindow; i++) this.starts.push(untilMs - this.options.windowMs);
    this.pump();
  }

  private pump(): void {
    while (this.waiters.length > 0 && this.running < this.options.maxConcurrent) {
      const now = this.now();
      while (this.starts.length > 0 && this.starts[0]! <= now - this.options.windowMs) this.starts.shift();
      if (this.starts.length >= this.options.callsPerWindow) {
        this.schedule(this.starts[0]! + this.options.windowMs - now);
        return;
      }
      this.starts.push(now);
      this.running++;
      const resolve = this.waiters.shift()!;
      let released = false;
      resolve(() => {
        if (released) return;
        released = true;
        this.running--;
        this.pump();
      });
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.max(1, delayMs));
    // Not unref'd: a call is waiting for this timer, and it may be the only thing keeping the sync alive.
  }
}
