import { afterEach, beforeEach, expect, test } from 'vitest';
import { startEmulator, type Emulator, type FaultRule } from '../../src/emulator/index.js';
import { Dataset } from './dataset.js';
import { expectCompleteSync, faulted, requests, syncDataset } from './run.js';

// A long sync through every kind of fault Marketo has, sprinkled over the whole run: each time a job completes or a
// state is echoed, the next fault of the plan is scripted (once the previous one has met its request), so faults keep
// coming until the end. Tokens live two seconds and are also expired at once mid-run, so 601/602 come from real
// expiry (a scripted 601 landing on the retry right after a refresh would rightly end the sync: a fresh token refused
// is not a fault to wait out).

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator({ tokenLifetimeSeconds: 2 });
});
afterEach(async () => {
  await emulator.close();
});

const BULK = /^\/bulk\//;
const CREATE = /^\/bulk\/v1\/.*\.json$/;

type Step = FaultRule | ((emulator: Emulator) => void);

const plan: Step[] = [
  { kind: 'marketo', code: '604', path: BULK },
  { kind: 'http', status: 500, path: BULK },
  { kind: 'reset', path: BULK },
  { kind: 'marketo', code: '606', path: BULK },
  { kind: 'marketo', code: '611', path: BULK },
  { kind: 'http', status: 502, path: BULK, body: '<html>Bad Gateway</html>' },
  (e) => e.faults.queueForeignJobs(8, 20),
  { kind: 'marketo', code: '615', path: BULK },
  { kind: 'slow', delayMs: 150, path: BULK },
  { kind: 'marketo', code: '1016', method: 'POST', path: CREATE },
  { kind: 'marketo', code: '502', path: BULK },
  (e) => e.faults.expireTokens(),
  { kind: 'reset', afterHandling: true, path: BULK },
  { kind: 'marketo', code: '608', path: BULK },
  { kind: 'marketo', code: '713', path: BULK },
  { kind: 'http', status: 503, path: BULK },
];

test('thousands of records, three streams, faults all along and short-lived tokens: store, states and exit exact', async () => {
  const dataset = new Dataset({ contacts: 1500, cars: 900, attendees: 600, updates: 300, stateEvery: 50, seed: 11 });
  // The identity endpoint fails too, on the very first token.
  emulator.faults.inject({ kind: 'http', status: 503, path: '/identity/oauth/token' });
  let injected = 1;
  let steps = 0;
  let pending: { cancel(): void } | undefined;
  const result = await syncDataset(emulator, dataset, {
    config: { batching: { max_file_bytes: 9000, max_jobs_in_flight: 4 }, retry: { max_attempts: 20 } },
    onMessage: (message) => {
      // One job is forced Failed, once: the same file failing twice would rightly end the sync.
      if (message.type === 'STATE' && (message.state as { id: number }).id === 1) {
        emulator.faults.failJob({ match: 'next', message: 'Import failed: chaos' });
      }
      // The next fault when a job completes or a state is echoed, once the previous fault has met its request: spread
      // from the first job to the last, and never a run of them on one call (a retry's log line is no trigger).
      const progress = message.type === 'STATE' || (message.log as { message?: string } | undefined)?.message?.includes(' complete: ');
      if (!progress || faulted(emulator).length < injected) return;
      const step = plan[steps++ % plan.length]!;
      if (typeof step === 'function') return step(emulator);
      pending = emulator.faults.inject(step);
      injected++;
    },
  });
  pending?.cancel(); // the sync may end before the last fault finds a request

  expectCompleteSync(result, dataset, emulator);
  expect(result.states.map((s) => s.id)).toEqual(dataset.states.map((s) => s.id));
  // The whole plan ran, and the faults reached into the last quarter of the run.
  expect(steps).toBeGreaterThanOrEqual(plan.length);
  const all = requests(emulator);
  const hit = faulted(emulator);
  expect(hit.length).toBeGreaterThanOrEqual(injected - 1);
  expect(hit.at(-1)!.seq).toBeGreaterThan(all.at(-1)!.seq * 0.75);
  const codes = new Set(all.flatMap((e) => (e.code ? [e.code] : [])));
  for (const code of ['604', '606', '611', '615', '1016', '502', '608', '713']) expect(codes, code).toContain(code);
  expect(emulator.jobs().some((j) => j.status === 'Failed')).toBe(true);
  expect(emulator.jobs().some((j) => j.object === 'foreign')).toBe(true);
  // Tokens ran out during the run. Whether a call met the expiry (601/602) depends on timing; the refresh row of
  // taxonomy-survives.e2e pins that.
  expect(emulator.issuedTokens().length).toBeGreaterThanOrEqual(2);
  expect(emulator.violations()).toEqual([]);
}, 30_000);
