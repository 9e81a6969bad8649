import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { call, getToken, resultOf, upload } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

/** About 250 bytes a row, like the benchmark's files. */
function file(rows: number, from: number): string {
  const lines = ['email,firstName,lastName,company,title,leadScore,city,country,website,phone,externalCompanyId'];
  for (let i = from; i < from + rows; i++) {
    lines.push(
      `person.number${i}@example-company.com,Firstname${i},"Lastname, ${i}",Example Company Incorporated ${i % 5000},Senior Vice President ${i % 40},${i % 100},City of ${i % 300},Country ${i % 30},https://www.example${i % 999}.com/a/long/path,+1 555 ${String(i).padStart(7, '0')},EXT-${i}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

// A guard against accidental slowness (a per-row promise, a quadratic step), with room for slow CI.
test('imports and upserts a 10 MB file of 42,000 rows in well under the budget', async () => {
  const token = await getToken(emulator);
  const csv = file(42_000, 0);
  expect(csv.length).toBeGreaterThan(9_000_000);
  expect(csv.length).toBeLessThan(10 * 1024 * 1024 - 1024);
  const started = performance.now();
  const { batchId } = resultOf(await upload(emulator, '/bulk/v1/leads.json?format=csv', { token, csv }));
  const status = resultOf(await call(emulator, `/bulk/v1/leads/batch/${String(batchId)}.json`, { token }));
  const elapsed = performance.now() - started;
  expect(status).toMatchObject({ status: 'Complete', numOfLeadsProcessed: 42_000, numOfRowsFailed: 0 });
  expect(emulator.store.counts().leads).toBe(42_000);
  expect(elapsed).toBeLessThan(5_000);
});
