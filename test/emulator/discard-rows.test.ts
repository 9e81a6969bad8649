import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, test } from 'vitest';
import { parseCliArgs } from '../../src/emulator/cli.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { call, getToken, resultOf, upload } from './helpers.js';

const CSV = ['email,firstName,leadScore', 'ann@example.com,Ann,1', 'bad@example.com,Bad,NOT_A_NUMBER', 'not-an-email,Bo,2', 'cy@example.com,Cy,3'].join('\n');

let emulator: Emulator | undefined;
afterEach(() => emulator?.close());

/** Imports CSV and returns the finished job's status and failure report. */
async function importOnce(discardRows: boolean): Promise<{ status: Record<string, unknown>; failures: unknown }> {
  emulator = await startEmulator({ discardRows });
  const token = await getToken(emulator);
  const { batchId } = resultOf(await upload(emulator, '/bulk/v1/leads.json?format=csv', { token, csv: CSV }));
  const status = resultOf(await call(emulator, `/bulk/v1/leads/batch/${String(batchId)}.json`, { token }));
  const failures = parse((await call(emulator, `/bulk/v1/leads/batch/${String(batchId)}/failures.json`, { token })).text, { columns: true });
  return { status, failures };
}

describe('discardRows (benchmarks)', () => {
  test('a job completes with the same counters, message and failure report, and stores nothing', async () => {
    const kept = await importOnce(false);
    expect(emulator?.store.counts().leads).toBe(3);
    await emulator?.close();
    const discarded = await importOnce(true);
    expect(discarded.status).toMatchObject({ status: 'Complete', numOfLeadsProcessed: 3, numOfRowsFailed: 1, numOfRowsWithWarning: 1 });
    expect({ ...discarded.status, batchId: 0, importId: '0' }).toEqual({ ...kept.status, batchId: 0, importId: '0' });
    expect(discarded.failures).toEqual(kept.failures);
    expect(emulator?.store.counts().leads).toBe(0);
  });

  test('--discard-rows sets the option', async () => {
    expect(await parseCliArgs(['--discard-rows'])).toEqual({ discardRows: true });
    expect(await parseCliArgs([])).toEqual({});
  });
});
