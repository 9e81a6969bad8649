import { existsSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, test, vi } from 'vitest';
import type { ImportJobs, ImportTarget, JobStatus } from '../../src/marketo/bulk-import.js';
import { MarketoError } from '../../src/marketo/errors.js';
import { JobScheduler, type CompletedJob, type PreparedFile } from '../../src/pipeline/scheduler.js';
import type { Interval } from '../../src/pipeline/checkpoints.js';
import { KeptFile, TempDir } from '../../src/pipeline/kept-file.js';
import { sealedHashes } from '../helpers/rows.js';

const target: ImportTarget = { kind: 'leads', lookupField: 'email' };

const dir = new TempDir();
afterAll(() => dir.remove());

function file(keys: string[]): PreparedFile {
  const body = new KeptFile(Buffer.from(['email', ...keys].join('\n')), dir);
  return { stream: 's', streamKey: 's', target, targetKey: 'leads', keys: sealedHashes(keys), rowCount: keys.length, rowMeta: [] as Interval[], emittedAt: new Float64Array(keys.length), body };
}

/** A scripted Bulk Import API: each job completes when the test says so. */
class FakeApi implements ImportJobs {
  creates = 0;
  polls = new Map<number, number>();
  done = new Set<number>();
  failOnce = new Set<number>();
  createErrors: MarketoError[] = [];
  order: number[] = [];

  async create(): Promise<JobStatus> {
    const error = this.createErrors.shift();
    if (error) throw error;
    const batchId = ++this.creates;
    return { batchId, status: 'Queued', processed: 0, failed: 0, warned: 0 };
  }

  async status(_: ImportTarget, batchId: number): Promise<JobStatus> {
    this.polls.set(batchId, (this.polls.get(batchId) ?? 0) + 1);
    if (this.failOnce.has(batchId)) {
      this.failOnce.delete(batchId);
      return { batchId, status: 'Failed', processed: 0, failed: 0, warned: 0, message: 'Scripted failure' };
    }
    const status = this.done.has(batchId) ? 'Complete' : 'Importing';
    return { batchId, status, processed: 0, failed: 0, warned: 0 };
  }

  async failures() {
    return undefined;
  }
  async warnings() {
    return undefined;
  }
}

function scheduler(api: FakeApi, maxInFlight = 4) {
  const completed: CompletedJob[] = [];
  const logs: string[] = [];
  const s = new JobScheduler({
    api,
    format: 'csv',
    maxInFlight,
    initialPollMs: 1,
    maxPollMs: 2,
    jobTimeoutMs: 60_000,
    signal: new AbortController().signal,
    onComplete: (job) => completed.push(job),
    log: (_, m) => logs.push(m),
  });
  return { s, completed, logs };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((r) => setTimeout(r, 1));
};

describe('JobScheduler', () => {
  test('keeps at most maxInFlight jobs, and polls only the two that Marketo can be importing', async () => {
    const api = new FakeApi();
    const { s, completed } = scheduler(api, 4);
    for (let i = 0; i < 6; i++) s.enqueue(file([`k${i}`]));
    await until(() => (api.polls.get(1) ?? 0) >= 3 && (api.polls.get(2) ?? 0) >= 3);
    expect(api.creates).toBe(4);
    expect(api.polls.get(3)).toBeUndefined();
    expect(api.polls.get(4)).toBeUndefined();
    api.done.add(1);
    await until(() => completed.length === 1 && (api.polls.get(3) ?? 0) > 0);
    expect(api.creates).toBe(5);
    expect(api.polls.get(4)).toBeUndefined();
    // Jobs 2-4 wait on disk; job 5, the newest upload, is the one kept in memory; job 1's file is gone.
    expect(readdirSync(dir.path)).toHaveLength(3);
    for (let id = 2; id <= 6; id++) api.done.add(id);
    await s.drain();
    // Jobs finishing together are polled concurrently, so they may be seen in either order.
    expect(completed.map((c) => c.status.batchId).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(readdirSync(dir.path)).toEqual([]);
  });

  test('a job that ends before the next upload never touches the disk, and its buffer goes back', async () => {
    const api = new FakeApi();
    const released: Buffer[] = [];
    const { s, completed } = scheduler(api, 1);
    const files = [0, 1].map((i) => ({ ...file([`q${i}`]), body: new KeptFile(Buffer.from(`email\nq${i}`), dir, (b) => released.push(b)) }));
    const spills = files.map((f) => vi.spyOn(f.body, 'spill'));
    for (const f of files) s.enqueue(f);
    await until(() => api.creates === 1);
    api.done.add(1);
    await until(() => completed.length === 1);
    api.done.add(2);
    await s.drain();
    for (const spill of spills) expect(spill).not.toHaveBeenCalled();
    expect(released.map((b) => b.toString())).toEqual(['email\nq0', 'email\nq1']);
  });

  test('the temp folder is removed with the run', () => {
    const other = new TempDir();
    expect(existsSync(other.path)).toBe(true);
    other.remove();
    expect(existsSync(other.path)).toBe(false);
  });

  test('a file sharing a lookup value with a job in flight waits for it (the last row wins)', async () => {
    const api = new FakeApi();
    const { s } = scheduler(api, 4);
    s.enqueue(file(['a@x', 'b@x']));
    s.enqueue(file(['c@x', 'a@x']));
    await until(() => (api.polls.get(1) ?? 0) > 2);
    expect(api.creates).toBe(1);
    api.done.add(1);
    await until(() => api.creates === 2);
    api.done.add(2);
    await s.drain();
  });

  test('a full shared queue (1016) is waited out, not an error', async () => {
    const api = new FakeApi();
    api.createErrors = [MarketoError.fromEnvelope('1016', 'There are 10 imports currently being processed. Please try again later', '/bulk/v1/leads.json'), MarketoError.fromEnvelope('1016', 'again', '/bulk/v1/leads.json')];
    api.done.add(1);
    const { s, completed, logs } = scheduler(api);
    s.enqueue(file(['a']));
    await s.drain();
    expect(completed).toHaveLength(1);
    expect(s.counts.queueFullWaits).toBe(2);
    expect(logs.filter((l) => l.includes('1016'))).toHaveLength(1);
  });

  test('a Failed job is sent once more; a second failure fails the sync quoting Marketo', async () => {
    const api = new FakeApi();
    api.failOnce.add(1);
    api.done.add(2);
    const first = scheduler(api);
    first.s.enqueue(file(['a']));
    await first.s.drain();
    expect(api.creates).toBe(2);
    expect(first.completed.map((c) => c.status.batchId)).toEqual([2]);

    const api2 = new FakeApi();
    api2.failOnce.add(1);
    api2.failOnce.add(2);
    const second = scheduler(api2);
    second.s.enqueue(file(['a']));
    await expect(second.s.drain()).rejects.toMatchObject({ failureType: 'system_error', message: expect.stringContaining('failed twice: Scripted failure') });
  });
});
