import { afterEach, beforeEach, expect, test } from 'vitest';
import { startEmulator, type Emulator, type RequestEntry } from '../../src/emulator/index.js';
import { Dataset } from './dataset.js';
import { expectCompleteSync, requests, syncDataset } from './run.js';

// The client-side limiter keeps the connector from tripping Marketo's concurrency limit in the first place: seen from
// the emulator, never more calls in progress than rate_limit.max_concurrent_calls (Adobe's advice, 5, by default).

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await emulator.close();
});

/** Most API calls in progress at once (the identity endpoint is not limited by Marketo, nor by the connector). */
function peakConcurrency(entries: RequestEntry[]): number {
  const events = entries
    .filter((e) => !e.path.startsWith('/identity/'))
    .flatMap((e) => [
      { at: e.at, delta: 1 },
      { at: e.endedAt ?? e.at, delta: -1 },
    ])
    // At equal times the end comes first: a call that starts as another ends does not overlap it.
    .sort((a, b) => a.at - b.at || a.delta - b.delta);
  let current = 0;
  let peak = 0;
  for (const event of events) peak = Math.max(peak, (current += event.delta));
  return peak;
}

const dataset = new Dataset({ contacts: 150, cars: 100, attendees: 100, stateEvery: 25 });

test.each([
  ['the default (5)', {}, 5],
  ['max_concurrent_calls 2', { max_concurrent_calls: 2 }, 2],
])('%s: never more calls in progress, and the limit is reached', async (_, rateLimit, limit) => {
  // Every call takes 40 ms and ten jobs may be in flight, so the connector always has more calls to make than allowed.
  emulator.faults.inject({ kind: 'slow', delayMs: 40, path: /^\/(bulk|rest)\//, times: Infinity });
  const result = await syncDataset(emulator, dataset, {
    config: {
      batching: { max_file_bytes: 2048, max_jobs_in_flight: 10 },
      rate_limit: rateLimit,
    },
  });
  expectCompleteSync(result, dataset, emulator);
  expect(peakConcurrency(requests(emulator))).toBe(limit);
  expect(requests(emulator).some((e) => e.code === '615')).toBe(false);
});
