import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator, type JobEntry } from '../../src/emulator/index.js';
import { call, getToken, ManualClock, resultOf, upload, openEmulator } from './helpers.js';

let clock: ManualClock;
let emulator: Emulator;
let token: string;
beforeEach(async () => {
  clock = new ManualClock();
  // 10 rows per second and 500 ms of latency: a 20-row file imports in 2.5 s of simulated time.
  ({ emulator, token } = await openEmulator({ clock, rowsPerSecond: 10, jobLatencyMs: 500, rateLimit: false }));
});
afterEach(() => emulator.close());

const rows = (n: number, prefix = 'r') => `email\n${Array.from({ length: n }, (_, i) => `${prefix}${i}@x.co`).join('\n')}\n`;

async function submit(csv: string): Promise<number> {
  const res = await upload(emulator, '/bulk/v1/leads.json?format=csv', { token, csv });
  return resultOf(res).batchId as number;
}

async function statusOf(batchId: number) {
  return resultOf(await call(emulator, `/bulk/v1/leads/batch/${batchId}.json`, { token }));
}

const jobEvents = (batchId: number) =>
  emulator.timeline.filter((e): e is JobEntry => e.kind === 'job' && e.batchId === batchId).map((e) => [e.event, e.at]);

describe('job engine', () => {
  test('a job goes Queued → Importing (counters so far) → Complete, on the simulated clock', async () => {
    const t0 = clock.now();
    const batchId = await submit(rows(20));
    expect(await statusOf(batchId)).toMatchObject({ status: 'Importing', numOfLeadsProcessed: 0 });
    clock.advance(500 + 1000); // latency, then 10 rows
    expect(await statusOf(batchId)).toMatchObject({ status: 'Importing', numOfLeadsProcessed: 10 });
    expect(emulator.store.leads()).toHaveLength(0); // rows land on completion
    clock.advance(1000);
    expect(await statusOf(batchId)).toMatchObject({ status: 'Complete', numOfLeadsProcessed: 20 });
    expect(emulator.store.leads()).toHaveLength(20);
    expect(jobEvents(batchId)).toEqual([
      ['queued', t0],
      ['started', t0],
      ['completed', t0 + 2500],
    ]);
    expect(emulator.jobs()).toEqual([
      expect.objectContaining({ batchId, object: 'leads', status: 'Complete', rows: 20, processed: 20, queuedAt: t0, startedAt: t0, endedAt: t0 + 2500, foreign: false }),
    ]);
  });

  test('partial counters count failed rows separately from processed ones', async () => {
    const batchId = await submit('email,leadScore\na@x.co,1\nb@x.co,x\nc@x.co,3\nd@x.co,4\n');
    clock.advance(500 + 300); // 3 rows done
    expect(await statusOf(batchId)).toMatchObject({ numOfLeadsProcessed: 2, numOfRowsFailed: 1 });
  });

  test('FIFO with at most 2 importing; later jobs start when a slot frees', async () => {
    const t0 = clock.now();
    const a = await submit(rows(10, 'a')); // ends t0 + 1.5 s
    const b = await submit(rows(30, 'b')); // ends t0 + 3.5 s
    const c = await submit(rows(10, 'c'));
    expect(emulator.jobs().map((j) => j.status)).toEqual(['Importing', 'Importing', 'Queued']);
    clock.advance(10_000);
    expect(emulator.jobs().map((j) => j.status)).toEqual(['Complete', 'Complete', 'Complete']);
    expect(jobEvents(c)).toEqual([
      ['queued', t0],
      ['started', t0 + 1500], // when a finished
      ['completed', t0 + 3000],
    ]);
    expect(jobEvents(b)[2]).toEqual(['completed', t0 + 3500]);
    expect(jobEvents(a)[2]).toEqual(['completed', t0 + 1500]);
  });

  test('the 11th job in flight gets 1016 with the message peers match on', async () => {
    for (let i = 0; i < 10; i++) await submit(rows(5, `j${i}-`));
    const res = await upload(emulator, '/bulk/v1/leads.json?format=csv', { token, csv: rows(1) });
    expect(res.json).toMatchObject({
      success: false,
      errors: [{ code: '1016', message: 'There are 10 imports currently being processed. Please try again later' }],
    });
    clock.advance(1000); // the first job finishes, making room
    expect(resultOf(await upload(emulator, '/bulk/v1/leads.json?format=csv', { token, csv: rows(1) }))).toMatchObject({ status: 'Queued' });
  });

  test('the timeline records how many jobs were in flight at each request', async () => {
    await submit(rows(10));
    await submit(rows(10));
    await call(emulator, '/rest/v1/leads/describe2.json', { token });
    const requests = emulator.timeline.filter((e) => e.kind === 'request');
    expect(requests.map((e) => e.jobsInFlight)).toEqual([0, 0, 1, 2]);
  });

  test('slots and speed can be changed at run time', async () => {
    emulator.configure({ maxImporting: 1 });
    await submit(rows(10));
    await submit(rows(10));
    expect(emulator.jobs().map((j) => j.status)).toEqual(['Importing', 'Queued']);
    emulator.configure({ maxImporting: 3, rowsPerSecond: Infinity, jobLatencyMs: 0 });
    expect(emulator.jobs().map((j) => j.status)).toEqual(['Importing', 'Complete']);
    expect(() => emulator.configure({ port: 1 })).toThrow(/Cannot change port/);
    expect(() => emulator.configure({ maxImporting: 0 })).toThrow(RangeError);
  });

  test('failJob next: the next job ends Failed with the message and lands nothing', async () => {
    emulator.faults.failJob({ match: 'next', message: 'Import failed: internal error' });
    const failed = await submit(rows(2));
    const fine = await submit(rows(2, 'ok'));
    clock.advance(5000);
    expect(await statusOf(failed)).toMatchObject({ status: 'Failed', message: 'Import failed: internal error', numOfLeadsProcessed: 0 });
    expect(await statusOf(fine)).toMatchObject({ status: 'Complete' });
    expect(emulator.store.leads().map((l) => l.email)).toEqual(['ok0@x.co', 'ok1@x.co']);
    expect(jobEvents(failed).map(([event]) => event)).toEqual(['queued', 'started', 'failed']);
  });

  test('failJob always fails every later job until cleared', async () => {
    emulator.faults.failJob({ match: 'next', message: 'down', always: true });
    const a = await submit(rows(1));
    const b = await submit(rows(1));
    emulator.faults.clear();
    const c = await submit(rows(1));
    clock.advance(5000);
    expect([await statusOf(a), await statusOf(b), await statusOf(c)].map((s) => s.status)).toEqual(['Failed', 'Failed', 'Complete']);
  });

  test('failJob by batchId fails that job even while it is importing', async () => {
    const batchId = await submit(rows(10));
    emulator.faults.failJob({ match: batchId, message: 'killed' });
    clock.advance(5000);
    expect(await statusOf(batchId)).toMatchObject({ status: 'Failed', message: 'killed' });
  });

  test('failJob can name a batchId that does not exist yet', async () => {
    const first = await submit(rows(1));
    emulator.faults.failJob({ match: first + 2, message: 'third one fails' });
    const second = await submit(rows(1));
    const third = await submit(rows(1));
    clock.advance(5000);
    expect([await statusOf(second), await statusOf(third)].map((s) => s.status)).toEqual(['Complete', 'Failed']);
  });

  test('foreign jobs occupy the queue until released', async () => {
    const foreign = emulator.faults.queueForeignJobs(10);
    expect(foreign).toHaveLength(10);
    const refused = await upload(emulator, '/bulk/v1/leads.json?format=csv', { token, csv: rows(1) });
    expect(refused.json).toMatchObject({ errors: [{ code: '1016' }] });
    emulator.faults.releaseForeignJobs();
    const ours = await submit(rows(1));
    clock.advance(1000);
    expect(await statusOf(ours)).toMatchObject({ status: 'Complete' });
    expect(emulator.jobs().filter((j) => j.foreign).every((j) => j.status === 'Complete' && j.object === 'foreign')).toBe(true);
  });

  test('foreign jobs with a duration hold the importing slots, so our job waits its turn', async () => {
    const t0 = clock.now();
    emulator.faults.queueForeignJobs(2, 4000);
    const ours = await submit(rows(1));
    clock.advance(3999);
    expect(await statusOf(ours)).toMatchObject({ status: 'Queued' });
    clock.advance(1 + 600);
    expect(await statusOf(ours)).toMatchObject({ status: 'Complete' });
    expect(jobEvents(ours)[1]).toEqual(['started', t0 + 4000]);
  });

  test('a batch stays queryable for seven days', async () => {
    const batchId = await submit(rows(1));
    clock.advance(7 * 24 * 3600 * 1000);
    token = await getToken(emulator); // the first one expired long ago
    expect(await statusOf(batchId)).toMatchObject({ status: 'Complete' });
    clock.advance(1000);
    const gone = await call(emulator, `/bulk/v1/leads/batch/${batchId}.json`, { token });
    expect(gone.json).toMatchObject({ success: false });
  });
});

describe('job engine with the real clock', () => {
  test('jobs complete and land in the store without anyone polling', async () => {
    const live = await startEmulator({ jobLatencyMs: 20 });
    try {
      const liveToken = await getToken(live);
      const { batchId } = resultOf(await upload(live, '/bulk/v1/leads.json?format=csv', { token: liveToken, csv: rows(3) }));
      // Wait on the engine's own timer: the completion appears in the timeline by itself.
      const done = await new Promise<boolean>((resolve) => {
        const check = (): void => {
          if (live.timeline.some((e) => e.kind === 'job' && e.batchId === batchId && e.event === 'completed')) resolve(true);
          else setImmediate(check);
        };
        check();
      });
      expect(done).toBe(true);
      expect(live.store.leads()).toHaveLength(3);
    } finally {
      await live.close();
    }
  });
});
