import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { taxonomyDataset, expectCompleteSync, expectStopped, isCreate, requests, syncDataset, warnings } from './run.js';

// The create call "can return a status of Queued, Importing, or Failed" (DOCS bulk-lead-import): an Importing job is
// polled like a Queued one, a Failed one is sent once more under the rule for Failed jobs.

let emulator: Emulator;
afterEach(async () => {
  await emulator.close();
});

const dataset = taxonomyDataset();

describe('a create call that answers Importing', () => {
  test('the job is polled until Complete, and no state is echoed before its data landed', async () => {
    emulator = await startEmulator({ createStatus: 'live', rowsPerSecond: 400 });
    const result = await syncDataset(emulator, dataset);
    expectCompleteSync(result, dataset, emulator);
    // Jobs that started as they were created are those whose create answered Importing; each was then polled.
    const startedAtCreate = emulator.jobs().filter((j) => !j.foreign && j.startedAt === j.queuedAt);
    expect(startedAtCreate.length).toBeGreaterThan(1);
    const polled = new Set(requests(emulator).filter((e) => e.method === 'GET' && /status\.json$|batch\/\d+\.json$/.test(e.path)).map((e) => e.batchId));
    for (const job of startedAtCreate) expect(polled.has(job.batchId), `job ${job.batchId} polled`).toBe(true);
  });
});

describe('a create call that answers Failed', () => {
  test('the same file is sent once more and the sync completes', async () => {
    emulator = await startEmulator();
    emulator.faults.failJob({ match: 'next', message: 'Import failed: internal error', atCreate: true });
    const result = await syncDataset(emulator, dataset, { config: { batching: { max_jobs_in_flight: 1 } } });
    expectCompleteSync(result, dataset, emulator);
    const failed = emulator.jobs().filter((j) => j.status === 'Failed');
    expect(failed).toHaveLength(1);
    const retried = warnings(result).filter((w) => w.includes(`job ${failed[0]!.batchId} `));
    expect(retried).toHaveLength(1);
    expect(retried[0]).toMatch(/failed \(Import failed: internal error\); sending the same file once more$/);
    // One job at a time: the create after the refused one is its retry, with the same file.
    const creates = requests(emulator).filter(isCreate);
    const refused = creates.findIndex((e) => e.batchId === failed[0]!.batchId);
    expect(creates[refused + 1]!.fileBytes).toBe(creates[refused]!.fileBytes);
    // The refused job was never polled: its create answer said it all.
    expect(requests(emulator).some((e) => e.method === 'GET' && e.batchId === failed[0]!.batchId)).toBe(false);
  });

  test('a file refused twice is a system_error quoting Marketo', async () => {
    emulator = await startEmulator();
    emulator.faults.failJob({ match: 'next', message: 'Import failed: internal error', atCreate: true, always: true });
    const result = await syncDataset(emulator, dataset);
    const { message } = expectStopped(result, dataset, 'system_error');
    expect(message).toMatch(/failed twice: Import failed: internal error/);
    expect(emulator.jobs().every((j) => j.status === 'Failed')).toBe(true);
  });
});
