import { afterEach, beforeEach, expect, test } from 'vitest';
import { startEmulator, type Emulator, type FaultRule } from '../../src/emulator/index.js';
import { Dataset } from './dataset.js';
import { expectCompleteSync, faulted, requests, syncDataset } from './run.js';

// A long sync through every kind of fault Marketo has, sprinkled over the whole run: the next step of the plan is
// scripted as soon as the previous faults have met their requests and a call has succeeded since, so faults keep
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

const CREATE = { method: 'POST', path: /^\/bulk\/v1\/.*\.json$/ };
const POLL = { method: 'GET', path: /^\/bulk\// };

/** Two faults at a time, one for a create and one for a poll, so that they meet different calls. */
type Step = [FaultRule, FaultRule] | ((emulator: Emulator) => void);

const plan: Step[] = [
  [{ kind: 'marketo', code: '604', ...CREATE }, { kind: 'http', status: 500, ...POLL }],
  [{ kind: 'reset', ...CREATE }, { kind: 'marketo', code: '611', ...POLL }],
  [{ kind: 'marketo', code: '606', ...CREATE }, { kind: 'http', status: 502, body: '<html>Bad Gateway</html>', ...POLL }],
  (e) => e.faults.queueForeignJobs(8, 20),
  [{ kind: 'marketo', code: '615', ...CREATE }, { kind: 'slow', delayMs: 150, ...POLL }],
  [{ kind: 'marketo', code: '1016', ...CREATE }, { kind: 'marketo', code: '502', ...POLL }],
  (e) => e.faults.expireTokens(),
  [{ kind: 'reset', afterHandling: true, ...CREATE }, { kind: 'marketo', code: '608', ...POLL }],
  [{ kind: 'marketo', code: '713', ...CREATE }, { kind: 'http', status: 503, ...POLL }],
];

test('thousands of records, three streams, faults all along and short-lived tokens: store, states and exit exact', async () => {
  const dataset = new Dataset({ contacts: 1500, cars: 900, attendees: 600, updates: 300, stateEvery: 25, seed: 11 });
  // The identity endpoint fails too, on the very first token.
  emulator.faults.inject({ kind: 'http', status: 503, path: '/identity/oauth/token' });
  let injected = 1;
  let steps = 0;
  let pending: { cancel(): void }[] = [];
  const result = await syncDataset(emulator, dataset, {
    // 12 KB files: about 17 jobs, so that the calls, retries included, stay well under 100 in the limiter's 20 s window.
    config: { batching: { max_file_bytes: 12000, max_jobs_in_flight: 4 }, retry: { max_attempts: 20 } },
    onMessage: (message) => {
      // One job is forced Failed, once: the same file failing twice would rightly end the sync.
      if (message.type === 'STATE' && (message.state as { id: number }).id === 1) {
        emulator.faults.failJob({ match: 'next', message: 'Import failed: chaos' });
      }
      // The next step once the previous faults have met their requests and a call has gone through cleanly since:
      // spread from the first job to the last.
      const hit = faulted(emulator);
      const last = hit.at(-1);
      if (hit.length < injected || !last) return;
      if (!requests(emulator).some((e) => e.seq > last.seq && e.status === 200 && !e.code && !e.fault)) return;
      const step = plan[steps++ % plan.length]!;
      if (typeof step === 'function') return step(emulator);
      pending = step.map((rule) => emulator.faults.inject(rule));
      injected += step.length;
    },
  });
  for (const rule of pending) rule.cancel(); // the sync may end before the last faults find a request

  expectCompleteSync(result, dataset, emulator);
  expect(result.states.map((s) => s.id)).toEqual(dataset.states.map((s) => s.id));
  // The whole plan ran, and the faults reached into the last quarter of the run.
  expect(steps).toBeGreaterThanOrEqual(plan.length);
  const all = requests(emulator);
  const hit = faulted(emulator);
  expect(hit.length).toBeGreaterThanOrEqual(injected - 2);
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
