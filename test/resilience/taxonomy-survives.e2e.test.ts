import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator, type FaultRule } from '../../src/emulator/index.js';
import { BULK, taxonomyDataset, expectCompleteSync, expectStopped, faulted, isCreate, requests, syncDataset, warnings } from './run.js';

// The rows of the error taxonomy (issue 5) the connector gets through: retry, throttle, refresh, shared queue full.
// Each test asserts what the connector did and what Marketo holds. Faults are scripted in the emulator; the
// connector is the built CLI. The rows that stop the sync are in taxonomy-stops.e2e.test.ts.

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await emulator.close();
});

const dataset = taxonomyDataset();

describe('retry: 502, 604, 608, 611, 614, 713, 719, HTTP 5xx, network errors', () => {
  test('each is retried with backoff and the sync completes with the store exact', async () => {
    const codes = ['502', '604', '608', '611', '614', '713', '719'];
    const rules: FaultRule[] = [
      ...codes.map((code): FaultRule => ({ kind: 'marketo', code, path: BULK })),
      { kind: 'http', status: 500, path: BULK },
      { kind: 'http', status: 502, path: BULK, body: '<html><body>Bad Gateway</body></html>' },
      { kind: 'http', status: 503, path: BULK },
      { kind: 'reset', path: BULK },
      { kind: 'reset', path: BULK, method: 'GET', afterHandling: true },
    ];
    for (const rule of rules) emulator.faults.inject(rule);
    // Consecutive faults may land on one request, so allow more attempts than there are faults.
    const result = await syncDataset(emulator, dataset, { config: { retry: { max_attempts: 20 } } });
    expectCompleteSync(result, dataset, emulator);

    const answered = faulted(emulator);
    expect(answered.filter((e) => e.fault === 'marketo').map((e) => e.code)).toEqual(codes);
    expect(answered.filter((e) => e.fault === 'http').map((e) => e.status)).toEqual([500, 502, 503]);
    expect(answered.filter((e) => e.fault === 'reset')).toHaveLength(2);
    const retried = warnings(result).filter((w) => /attempt \d+ failed, retrying/.test(w));
    expect(retried).toHaveLength(rules.length);
    for (const code of codes) expect(retried.some((w) => w.includes(`Marketo error ${code}:`))).toBe(true);
    expect(retried.some((w) => w.includes('HTTP 503'))).toBe(true);
    expect(retried.some((w) => /Network error .*UND_ERR_SOCKET/.test(w))).toBe(true);
  });

  test('a retried upload sends the whole file again; a job created by a request that then failed does not block states', async () => {
    // The create takes effect, then the connection drops: the connector cannot know a job exists and sends again.
    emulator.faults.inject({ kind: 'reset', afterHandling: true, method: 'POST', path: '/bulk/v1/leads.json' });
    // One job at a time, so that the create after the failed one is its retry.
    const result = await syncDataset(emulator, dataset, { config: { batching: { max_jobs_in_flight: 1 } } });
    expectCompleteSync(result, dataset, emulator);
    const leadCreates = requests(emulator).filter((e) => isCreate(e) && e.path === '/bulk/v1/leads.json');
    expect(leadCreates[0]!.fault).toBe('reset');
    expect(leadCreates[1]!.fileBytes).toBe(leadCreates[0]!.fileBytes);
    // Both jobs imported the same rows (an upsert, so harmless); only the second was polled.
    const [orphan, resent] = [leadCreates[0]!.batchId!, leadCreates[1]!.batchId!];
    const jobs = new Map(emulator.jobs().map((j) => [j.batchId, j]));
    expect(jobs.get(orphan)).toMatchObject({ status: 'Complete', rows: jobs.get(resent)!.rows });
    expect(requests(emulator).some((e) => e.method === 'GET' && e.path.startsWith(`/bulk/v1/leads/batch/${orphan}`))).toBe(false);
  });

  test('a create that times out (no answer within request_timeout_seconds) is sent again', async () => {
    emulator.faults.inject({ kind: 'slow', delayMs: 1500, method: 'POST', path: '/bulk/v1/customobjects/car_c/import.json' });
    const result = await syncDataset(emulator, dataset, { config: { retry: { request_timeout_seconds: 1 } } });
    expectCompleteSync(result, dataset, emulator);
    expect(warnings(result).some((w) => /customobjects\/car_c\/import\.json \(UND_ERR_HEADERS_TIMEOUT/.test(w))).toBe(true);
    expect(faulted(emulator).map((e) => e.fault)).toEqual(['slow']);
  });

  test('retries are bounded: after max_attempts the sync stops with a transient_error, echoing only committed states', async () => {
    emulator.faults.inject({ kind: 'marketo', code: '604', method: 'POST', path: '/bulk/v1/program/1001/members/import.json', times: Infinity });
    const result = await syncDataset(emulator, dataset, { config: { retry: { max_attempts: 3 } } });
    const { message } = expectStopped(result, dataset, 'transient_error');
    expect(message).toContain('stream "attendees"');
    expect(message).toContain('members of program 1001');
    expect(message).toMatch(/Marketo error 604: Request timed out \(gave up after 3 attempts\)/);
    expect(faulted(emulator)).toHaveLength(3);
    expect(emulator.store.programMembers(1001)).toEqual([]);
  });
});

describe('throttle: 606, 615', () => {
  test('scripted 606 and 615 answers are waited out and retried, costing no attempt', async () => {
    for (const code of ['606', '615', '606', '615']) emulator.faults.inject({ kind: 'marketo', code, path: BULK });
    // One attempt only: a throttle answer must not count as a failed attempt.
    const result = await syncDataset(emulator, dataset, { config: { retry: { max_attempts: 1 } } });
    expectCompleteSync(result, dataset, emulator);
    expect(faulted(emulator).map((e) => e.code)).toEqual(['606', '615', '606', '615']);
  });

  test("the instance's own limits, tripped by a client allowed more than the emulator grants, are waited out", async () => {
    emulator.configure({ rateLimit: { calls: 6, windowSeconds: 1 }, concurrencyLimit: 1 });
    // A slow answer holds the one concurrent slot, so that calls beside it get 615.
    emulator.faults.inject({ kind: 'slow', delayMs: 300, method: 'GET', path: BULK });
    const result = await syncDataset(emulator, dataset, { config: { retry: { max_attempts: 1 } } });
    expectCompleteSync(result, dataset, emulator);
    const codes = requests(emulator).map((e) => e.code);
    expect(codes).toContain('606');
    expect(codes).toContain('615');
  });
});

describe('refresh: 601, 602', () => {
  test('expired and invalid tokens are replaced and the call sent again', async () => {
    emulator.faults.inject({ kind: 'marketo', code: '601', path: BULK });
    let expired = false;
    const result = await syncDataset(emulator, dataset, {
      config: { batching: { max_jobs_in_flight: 2 } },
      onMessage: (message) => {
        if (message.type === 'STATE' && !expired) {
          expired = true;
          emulator.faults.expireTokens();
        }
      },
    });
    expectCompleteSync(result, dataset, emulator);
    expect(emulator.issuedTokens().length).toBeGreaterThanOrEqual(2);
    expect(requests(emulator).some((e) => e.code === '601' && e.fault === 'marketo')).toBe(true);
    expect(requests(emulator).some((e) => e.code === '602')).toBe(true);
  });

  test('a call refused again with its new token fails the sync instead of refreshing forever', async () => {
    emulator.faults.inject({ kind: 'marketo', code: '601', method: 'POST', path: '/bulk/v1/leads.json', times: 2 });
    // One job at a time, so that both answers go to the same call.
    const result = await syncDataset(emulator, dataset, { config: { batching: { max_jobs_in_flight: 1 } } });
    const { message } = expectStopped(result, dataset, 'transient_error');
    expect(message).toContain('stream "contacts"');
    expect(message).toContain('Marketo error 601');
    expect(faulted(emulator)).toHaveLength(2);
  });
});

describe('shared queue full: 1016', () => {
  test("another integration's jobs fill the queue: the create waits and is retried, never failing the sync", async () => {
    emulator.faults.queueForeignJobs(10);
    const result = await syncDataset(emulator, dataset, {
      onMessage: (message) => {
        // The connector says it is waiting; only then does the other integration's backlog clear.
        const log = message.log as { message: string } | undefined;
        if (log?.message.includes('1016')) emulator.faults.releaseForeignJobs();
      },
    });
    expectCompleteSync(result, dataset, emulator);
    const full = requests(emulator).filter((e) => e.code === '1016');
    expect(full.length).toBeGreaterThanOrEqual(1);
    expect(full.every(isCreate)).toBe(true);
  });

  test('scripted 1016 answers do not count as failed attempts', async () => {
    emulator.faults.inject({ kind: 'marketo', code: '1016', method: 'POST', path: BULK, times: 4 });
    const result = await syncDataset(emulator, dataset, { config: { retry: { max_attempts: 1 } } });
    expectCompleteSync(result, dataset, emulator);
    expect(faulted(emulator).map((e) => e.code)).toEqual(['1016', '1016', '1016', '1016']);
  });
});
