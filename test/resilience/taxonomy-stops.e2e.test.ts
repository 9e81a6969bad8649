import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { expectedStates } from '../helpers/sync.js';
import { BULK, taxonomyDataset, expectCompleteSync, expectStopped, faulted, requests, syncDataset, warnings } from './run.js';

// The rows of the error taxonomy (issue 5) that stop the sync: daily quota, user or config, anything else (and jobs
// that fail or never finish). Each test asserts the TRACE, the states echoed before it and what Marketo holds.

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await emulator.close();
});

const dataset = taxonomyDataset();

describe('daily quota: 607', () => {
  test('stops cleanly with a transient_error about midnight US Central time, after the states of committed data', async () => {
    // Slow jobs, one at a time: the quota runs out at the first state, with most of the input still to import.
    emulator.configure({ rowsPerSecond: 200 });
    const result = await syncDataset(emulator, dataset, {
      config: { batching: { max_jobs_in_flight: 1 } },
      onMessage: (message) => {
        if (message.type === 'STATE' && message.state && (message.state as { id: number }).id === 1) emulator.faults.setDailyQuota(0);
      },
    });
    const { message, internal } = expectStopped(result, dataset, 'transient_error');
    expect(message).toMatch(/daily API quota is used up \(607\)\. It resets at midnight US Central time/);
    expect(internal).toBe('MARKETO_DAILY_QUOTA');
    expect(result.states.length).toBeGreaterThanOrEqual(1);
    expect(result.states.length).toBeLessThan(expectedStates(dataset.text()).length);
    // 607 is final: no call was retried after it, so at most the calls already in flight saw it.
    const refused = requests(emulator).filter((e) => e.code === '607');
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeLessThanOrEqual(3);
    expect(warnings(result).filter((w) => w.includes('607'))).toEqual([]);
  });
});

describe('user or config: 603, 1006, 1008, 1009, 1010, 610', () => {
  const leads = { stream: 'contacts', path: '/bulk/v1/leads.json', object: 'leads (lookupField email)' };
  const cars = { stream: 'cars', path: '/bulk/v1/customobjects/car_c/import.json', object: 'custom object car_c' };
  test.each([
    ['603', leads, 'Access denied', /Read-Write Lead.*IP is not allowlisted/],
    ['1006', cars, "Field 'colour' not found", /Field 'colour' not found.*fix field_mappings/],
    ['1008', leads, 'Access denied to partition', /partition_name/],
    ['1009', leads, 'Partition name must be specified', /set partition_name/],
    ['1010', leads, 'Partition update not allowed', /partition of an existing lead/],
    ['610', cars, 'Requested resource not found', /custom object or program does not exist/],
  ])('%s is a config_error naming the stream, the object and what to fix', async (code, target, marketoMessage, advice) => {
    emulator.faults.inject({ kind: 'marketo', code, message: marketoMessage, method: 'POST', path: target.path });
    const result = await syncDataset(emulator, dataset, { config: { batching: { max_jobs_in_flight: 1 } } });
    const { message } = expectStopped(result, dataset, 'config_error');
    expect(message).toContain(`stream "${target.stream}"`);
    expect(message).toContain(`Marketo ${target.object}`);
    expect(message).toContain(`Marketo error ${code}: ${marketoMessage}`);
    expect(message).toMatch(advice);
    // Not retried: the one request answered with the code is the last one to that endpoint.
    expect(faulted(emulator)).toHaveLength(1);
    expect(requests(emulator).filter((e) => e.path === target.path && e.method === 'POST')).toHaveLength(1);
  });
});

describe('anything else', () => {
  test('an unknown code is a system_error quoting Marketo', async () => {
    emulator.faults.inject({ kind: 'marketo', code: '1003', message: 'Empty File', method: 'POST', path: BULK });
    const result = await syncDataset(emulator, dataset);
    const { message } = expectStopped(result, dataset, 'system_error');
    expect(message).toMatch(/^stream "\w+", Marketo .*: Marketo error 1003: Empty File$/);
    expect(faulted(emulator)).toHaveLength(1);
  });

  test('a job that ends Failed once is sent again; the store is exact', async () => {
    emulator.faults.failJob({ match: 'next', message: 'Import failed: internal error' });
    const result = await syncDataset(emulator, dataset);
    expectCompleteSync(result, dataset, emulator);
    const failed = emulator.jobs().filter((j) => j.status === 'Failed');
    expect(failed).toHaveLength(1);
    expect(warnings(result).some((w) => w.includes(`job ${failed[0]!.batchId}`) && w.includes('sending the same file once more'))).toBe(true);
  });

  test('a job that fails twice is a system_error quoting Marketo', async () => {
    emulator.faults.failJob({ match: 'next', message: 'Import failed: internal error', always: true });
    const result = await syncDataset(emulator, dataset);
    const { message } = expectStopped(result, dataset, 'system_error');
    expect(message).toMatch(/failed twice: Import failed: internal error/);
  });

  test('a job that does not finish within job_timeout_minutes is a transient_error', async () => {
    emulator.configure({ rowsPerSecond: 1 });
    const result = await syncDataset(emulator, dataset, { config: { polling: { job_timeout_minutes: 0.01 } } });
    const { message } = expectStopped(result, dataset, 'transient_error');
    expect(message).toMatch(/did not finish within .* minutes .*raise polling\.job_timeout_minutes/);
    expect(result.states).toEqual([]);
  });
});
