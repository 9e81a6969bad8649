import type { Clock, RuntimeOptions } from './options.js';

export interface LimitError {
  code: string;
  message: string;
}

const DAY_MS = 24 * 3600 * 1000;
/** Marketo's daily quota resets at 12:00 AM CST (UTC-6). */
const CST_OFFSET_MS = -6 * 3600 * 1000;

/** The instance-wide REST limits: concurrency (615), rate (606) and daily quota (607). */
export class ApiLimits {
  private readonly admitted: number[] = [];
  private running = 0;
  private quotaDay = Number.NaN;
  private quotaUsed = 0;

  constructor(
    private readonly options: RuntimeOptions,
    private readonly clock: Clock,
  ) {}

  /** Registers a call as running, unless too many already are. Pair with `leave()`. */
  enter(): LimitError | undefined {
    const limit = this.options.concurrencyLimit;
    if (limit !== false && this.running >= limit) {
      return { code: '615', message: `Concurrent access limit '${limit}' reached` };
    }
    this.running++;
    return undefined;
  }

  leave(): void {
    this.running--;
  }

  /** Counts an authenticated call against the rate window and the daily quota, or refuses it. */
  admit(): LimitError | undefined {
    const now = this.clock.now();
    const rate = this.options.rateLimit;
    if (rate) {
      const since = now - rate.windowSeconds * 1000;
      while (this.admitted.length > 0 && this.admitted[0]! <= since) this.admitted.shift();
      if (this.admitted.length >= rate.calls) {
        return { code: '606', message: `Max rate limit '${rate.calls}' exceeded with in '${rate.windowSeconds}' secs` };
      }
    }
    this.rollQuotaDay(now);
    const quota = this.options.dailyQuota;
    if (quota !== false && this.quotaUsed >= quota) return { code: '607', message: 'Daily quota reached' };
    this.admitted.push(now);
    this.quotaUsed++;
    return undefined;
  }

  /** Pretends `used` calls were already made today (for quota scenarios). */
  setQuotaUsed(used: number): void {
    this.rollQuotaDay(this.clock.now());
    this.quotaUsed = used;
  }

  private rollQuotaDay(now: number): void {
    const day = Math.floor((now + CST_OFFSET_MS) / DAY_MS);
    if (day !== this.quotaDay) {
      this.quotaDay = day;
      this.quotaUsed = 0;
    }
  }
}
