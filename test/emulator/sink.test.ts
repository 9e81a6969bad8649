import { afterEach, describe, expect, test } from 'vitest';
import { parseCliArgs } from '../../src/emulator/cli.js';
import { CountedImport } from '../../src/emulator/import/counted-import.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { call, getToken, resultOf, upload } from './helpers.js';

// The second row would fail a real import (not a number) and the third would warn (not an email).
const CSV = ['email,firstName,leadScore', 'ann@example.com,Ann,1', 'bad@example.com,Bad,NOT_A_NUMBER', 'not-an-email,Bo,2', 'cy@example.com,Cy,3', ''].join('\n');

let emulator: Emulator | undefined;
afterEach(() => emulator?.close());

describe('sink (benchmarks)', () => {
  test('a job completes with every row counted as processed, no failure report, and nothing stored', async () => {
    emulator = await startEmulator({ sink: true });
    const token = await getToken(emulator);
    const { batchId } = resultOf(await upload(emulator, '/bulk/v1/leads.json?format=csv', { token, csv: CSV }));
    const status = resultOf(await call(emulator, `/bulk/v1/leads/batch/${String(batchId)}.json`, { token }));
    expect(status).toMatchObject({ status: 'Complete', numOfLeadsProcessed: 4, numOfRowsFailed: 0, numOfRowsWithWarning: 0 });
    expect(status.message).toBe('Import succeeded, 4 records imported (4 members)');
    expect((await call(emulator, `/bulk/v1/leads/batch/${String(batchId)}/failures.json`, { token })).status).toBe(404);
    expect(emulator.store.counts().leads).toBe(0);
    expect(emulator.jobs()[0]).toMatchObject({ rows: 4, processed: 4, fileBytes: Buffer.byteLength(CSV) });
  });

  test('the header is still checked: an unknown column is refused at submit', async () => {
    emulator = await startEmulator({ sink: true });
    const token = await getToken(emulator);
    const res = await upload(emulator, '/bulk/v1/leads.json?format=csv', { token, csv: 'email,noSuchField\na@example.com,1\n' });
    expect(res.json).toMatchObject({ success: false, errors: [{ code: '1006' }] });
  });

  test('progress while Importing counts rows at the configured speed', async () => {
    let now = 0;
    emulator = await startEmulator({ sink: true, rowsPerSecond: 2, clock: { now: () => now } });
    const token = await getToken(emulator);
    const { batchId } = resultOf(await upload(emulator, '/bulk/v1/leads.json?format=csv', { token, csv: CSV }));
    now = 1000;
    const status = resultOf(await call(emulator, `/bulk/v1/leads/batch/${String(batchId)}.json`, { token }));
    expect(status).toMatchObject({ status: 'Importing', numOfLeadsProcessed: 2 });
  });

  test('rows are the lines after the header, with or without a final line break', () => {
    expect(CountedImport.count('a,b\n1,2\n3,4\n').rowCount).toBe(2);
    expect(CountedImport.count('a,b\n1,2\n3,4').rowCount).toBe(2);
    expect(CountedImport.count('a,b\n').rowCount).toBe(0);
    expect(CountedImport.count('a,b').rowCount).toBe(0);
  });

  test('--sink sets the option', async () => {
    expect(await parseCliArgs(['--sink'])).toEqual({ sink: true });
  });
});
