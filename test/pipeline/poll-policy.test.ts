import { describe, expect, test } from 'vitest';
import { PollPolicy } from '../../src/pipeline/poll-policy.js';

const policy = () => new PollPolicy({ initialMs: 5_000, maxMs: 30_000 });

describe('PollPolicy', () => {
  test('with nothing known, backs off from the initial interval to the maximum', () => {
    const p = policy();
    let interval = 5_000;
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const next = p.next({ rows: 1000, startedAt: 0, interval }, 0);
      delays.push(next.delayMs);
      interval = next.interval;
    }
    expect(delays).toEqual([5_000, 10_000, 20_000, 30_000, 30_000]);
  });

  test('polls a minute-long job a few times only once the rate is known', () => {
    const p = policy();
    p.observe(60_000, 60_000); // 1 ms per row
    const first = p.next({ rows: 60_000, startedAt: 0, interval: 5_000 }, 0);
    expect(first.delayMs).toBe(30_000); // capped at the maximum, not 5 s
    const second = p.next({ rows: 60_000, startedAt: 0, interval: first.interval, done: 30_000 }, 30_000);
    expect(second.delayMs).toBe(30_000); // 30 s remain; 5 % past that is capped at the maximum
  });

  test('uses live progress counters to aim just past the predicted end', () => {
    const p = new PollPolicy({ initialMs: 10, maxMs: 30_000 });
    const next = p.next({ rows: 10_000, startedAt: 0, interval: 10, done: 5_000 }, 1_000);
    expect(next.delayMs).toBeCloseTo(1_050);
  });

  test('never polls sooner than the initial interval', () => {
    const p = policy();
    p.observe(10, 1);
    expect(p.next({ rows: 10, startedAt: 0, interval: 5_000 }, 0).delayMs).toBe(5_000);
  });
});

describe('PollPolicy learning from progress counters', () => {
  test('the rate between two polls of one job wins over whole-job timings, which overestimate it', () => {
    const p = new PollPolicy({ initialMs: 10, maxMs: 60_000 });
    p.observe(1_000, 500); // seen late: looks like 0.5 ms a row
    p.observeProgress(1_000, 1_000); // really 1 ms a row
    p.observe(1_000, 100); // ignored from now on
    expect(p.next({ rows: 10_000, startedAt: 0, interval: 10, done: 4_000 }, 99_999).delayMs).toBeCloseTo(6_300);
  });
});
