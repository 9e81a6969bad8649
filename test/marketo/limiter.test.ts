import { describe, expect, test } from 'vitest';
import { CallLimiter } from '../../src/marketo/limiter.js';

describe('CallLimiter', () => {
  test('never lets more than maxConcurrent calls run at once', async () => {
    const limiter = new CallLimiter({ callsPerWindow: 1000, windowMs: 20_000, maxConcurrent: 3 });
    let running = 0;
    let peak = 0;
    let finished = 0;
    const gates: Array<() => void> = [];
    const calls = Array.from({ length: 10 }, async () => {
      const release = await limiter.acquire();
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => gates.push(resolve));
      running--;
      finished++;
      release();
    });
    // Open the gates one by one as calls arrive.
    while (finished < 10) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    await Promise.all(calls);
    expect(peak).toBe(3);
  });

  test('holds the call past the window limit until the oldest start leaves the window', async () => {
    let now = 0;
    const limiter = new CallLimiter({ callsPerWindow: 2, windowMs: 50, maxConcurrent: 10, now: () => now });
    (await limiter.acquire())();
    (await limiter.acquire())();
    let third = false;
    const pending = limiter.acquire().then((release) => {
      third = true;
      release();
    });
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(false);
    now = 50; // the window has moved past both starts; the limiter's timer fires and lets it go
    await pending;
    expect(third).toBe(true);
  });
});
