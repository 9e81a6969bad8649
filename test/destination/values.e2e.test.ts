// Every Airbyte value shape, through the built connector into the emulator, one fixture stream per case
// (test/fixtures/values): each value is sent once into a field of each Marketo type, and the store is checked exactly.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { repoRoot } from '../helpers/cli.js';
import { runWrite } from '../helpers/sync.js';

const dir = path.join(repoRoot, 'test/fixtures/values');
const read = (file: string): string => readFileSync(path.join(dir, file), 'utf8');

/** The lead field each Marketo type is written to (values.config.json maps as_<type> onto it). */
const FIELD = {
  string: 'title',
  integer: 'leadScore',
  float: 'propensityScore',
  currency: 'annualRevenue',
  boolean: 'unsubscribed',
  date: 'birthDate',
  datetime: 'lastPurchaseAt',
} as const;
type MarketoType = keyof typeof FIELD;

/** Rejected locally: the row is not sent and counts in rejectedRecordCount. */
const R = Symbol('rejected');
type Expected = Record<MarketoType, unknown>;

/** A value that only a string field takes. */
const onlyString = (text: string): Expected => ({ string: text, integer: R, float: R, currency: R, boolean: R, date: R, datetime: R });

// Per case, per value sent: what the emulator stores for each Marketo type (as it stores them: numbers and booleans
// parsed, dates and datetimes as the cell text). values.config.json sets naive_datetime_time_zone to America/Chicago.
const CASES: Record<string, Expected[]> = {
  'timestamp-with-timezone': [
    { ...onlyString('2022-11-22T01:23:45+02:00'), date: '2022-11-22', datetime: '2022-11-22T01:23:45+02:00' },
  ],
  'timestamp-without-timezone': [
    { ...onlyString('2022-11-22T01:23:45'), date: '2022-11-22', datetime: '2022-11-22T01:23:45-06:00' },
    // Daylight saving time in Chicago; the fraction of a second is dropped.
    { ...onlyString('2022-07-01T12:00:00.250'), date: '2022-07-01', datetime: '2022-07-01T12:00:00-05:00' },
  ],
  'time-with-timezone': [onlyString('01:23:45+02:00')],
  'time-without-timezone': [onlyString('01:23:45')],
  date: [{ ...onlyString('2022-11-22'), date: '2022-11-22', datetime: '2022-11-22T00:00:00-06:00' }],
  'big-number': [
    // Beyond 2^53 an integer field would get other digits; a float field gets Marketo's own parse of the text.
    { ...onlyString('123456789012345678901234567890'), float: 1.2345678901234568e29, currency: 1.2345678901234568e29 },
    { ...onlyString('12.5'), float: 12.5, currency: 12.5 },
  ],
  integer: [
    { ...onlyString('42'), integer: 42, float: 42, currency: 42 },
    { ...onlyString('0'), integer: 0, float: 0, currency: 0, boolean: false },
  ],
  base64: [onlyString('SGVsbG8sIE1hcmtldG8h')],
  'numbers-as-strings': [
    { ...onlyString('56.78'), float: 56.78, currency: 56.78 },
    { ...onlyString('0'), integer: 0, float: 0, currency: 0, boolean: false },
  ],
  'far-years': [
    // Chicago's offset in 1504 is local mean time (-05:50:36), which Marketo's form cannot carry: the instant in UTC.
    { ...onlyString('1504-02-29'), date: '1504-02-29', datetime: '1504-02-29T05:50:36+00:00' },
    { ...onlyString('9999-12-21'), date: '9999-12-21', datetime: '9999-12-21T00:00:00-06:00' },
  ],
  'arrays-and-objects': [onlyString('["a","b"]'), onlyString('{"k":1,"nested":{"x":[1,2]}}')],
  unions: [
    { ...onlyString('2022-11-22T01:23:45Z'), date: '2022-11-22', datetime: '2022-11-22T01:23:45+00:00' },
    { string: null, integer: null, float: null, currency: null, boolean: null, date: null, datetime: null },
  ],
  'type-arrays': [onlyString('x'), { string: null, integer: null, float: null, currency: null, boolean: null, date: null, datetime: null }],
  'well-known-ref': [{ ...onlyString('2022-07-01T12:00:00'), date: '2022-07-01', datetime: '2022-07-01T12:00:00-05:00' }],
  // TRACE STREAM_STATUS messages around the records are accepted and ignored.
  'stream-status': [onlyString('ok')],
};

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await emulator.close();
});

describe.each(Object.entries(CASES))('%s', (name, values) => {
  test('each Marketo field type gets the documented cell, or the row is rejected with its reason', async () => {
    const fixture = { config: JSON.parse(read('values.config.json')), catalog: JSON.parse(read(`${name}.catalog.json`)), messages: read(`${name}.messages.jsonl`) };
    const result = await runWrite(emulator, fixture);
    expect(result.traces).toEqual([]);
    expect(result.code).toBe(0);

    const leads = new Map(emulator.store.leads().map((lead) => [lead.email, lead]));
    let rejected = 0;
    values.forEach((expected, i) => {
      for (const [type, field] of Object.entries(FIELD) as [MarketoType, string][]) {
        const email = `${i}-${type}@example.com`;
        if (expected[type] === R) {
          rejected++;
          expect(leads.has(email), `${email} should be rejected`).toBe(false);
        } else {
          expect(leads.get(email)?.[field], email).toEqual(expected[type]);
        }
      }
    });
    expect(leads.size).toBe(values.length * 7 - rejected);
    const input = fixture.messages.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; state?: object });
    const state = input.find((m) => m.type === 'STATE')!.state;
    expect(result.states).toEqual([{ ...state, destinationStats: { recordCount: values.length * 7 - rejected, rejectedRecordCount: rejected } }]);
    const reasons = result.logs.filter((l) => l.level === 'WARN' && l.message.includes('Invalid data type in field')).length;
    expect(reasons).toBe(rejected);
  });
});
