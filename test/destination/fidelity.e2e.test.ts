import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { ndjson } from '../helpers/cli.js';
import { expectedStates, loadFixture, requestsTo, runWrite, type Fixture } from '../helpers/sync.js';

// The connector against the shapes real Marketo was observed to answer in (issue 17): each test runs the built CLI
// against the emulator in that shape and checks what the connector made of it.

let emulator: Emulator;
afterEach(async () => {
  await emulator.close();
});

type Json = Record<string, unknown>;

/** One stream, imported with the given mapping object; its schema lists `fields` as strings, in order. */
function fixture(stream: string, object: Json, fields: string[], lines: Json[]): Fixture {
  const properties = Object.fromEntries(fields.map((f) => [f, { type: ['null', 'string'] }]));
  return {
    config: { stream_mappings: [{ stream, object }] },
    catalog: {
      streams: [
        {
          stream: { name: stream, json_schema: { type: 'object', properties }, supported_sync_modes: ['incremental'] },
          sync_mode: 'incremental',
          destination_sync_mode: 'append_dedup',
        },
      ],
    },
    messages: ndjson(
      lines.map((line, i) =>
        'state' in line
          ? { type: 'STATE', state: { type: 'STREAM', id: line.state, stream: { stream_descriptor: { name: stream }, stream_state: { at: i } } } }
          : { type: 'RECORD', record: { stream, data: line, emitted_at: 1_700_000_000_000 } },
      ),
    ),
  };
}

const LEADS = { type: 'leads', lookup_field: 'email' };

/** A report file as the connector was given it, fetched again with a token of our own. */
async function report(path: string): Promise<string[][]> {
  const identity = await fetch(`${emulator.url}/identity/oauth/token?grant_type=client_credentials&client_id=emulator-client-id&client_secret=emulator-client-secret`);
  const { access_token: token } = (await identity.json()) as { access_token: string };
  const res = await fetch(`${emulator.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return parse(await res.text()) as string[][];
}

const logs = (result: { logs: { level: string; message: string }[] }, level: string): string[] =>
  result.logs.filter((l) => l.level === level).map((l) => l.message);

describe('failures files that leave out empty columns', () => {
  // Rows 2 and 5 fail (no email), with phone empty too; row 3 has the same names as row 2 but is not the failed one.
  const input = fixture('contacts', LEADS, ['firstName', 'lastName', 'phone', 'email'], [
    { firstName: 'Ann', lastName: 'Lee', phone: '111', email: 'ann@example.com' },
    { firstName: 'Bo', lastName: 'Ng', phone: null, email: null },
    { state: 1 },
    { firstName: 'Bo', lastName: 'Ng', phone: '333', email: 'bo@example.com' },
    { firstName: 'Cy', lastName: null, phone: null, email: 'not-an-email' },
    { firstName: 'Di', lastName: 'Ko', phone: null, email: null },
    { state: 2 },
    { firstName: 'Ed', lastName: 'Wu', phone: '666', email: 'ed@example.com' },
    { state: 3 },
  ]);

  test.each<[NonNullable<EmulatorOptions['reportColumns']>, string[], string[]]>([
    ['drop-empty', ['firstName', 'lastName', 'Import Failure Reason'], ['firstName', 'email', 'Import Warning Reason']],
    ['all', ['firstName', 'lastName', 'phone', 'email', 'Import Failure Reason'], ['firstName', 'lastName', 'phone', 'email', 'Import Warning Reason']],
  ])('reportColumns %s: every failed and warned row is matched back to its own record', async (reportColumns, failuresHeader, warningsHeader) => {
    emulator = await startEmulator({ reportColumns });
    const result = await runWrite(emulator, input);
    expect(result.code, result.stderr).toBe(0);
    // If a row were not matched, it would be counted against the file's last rows, that is against state 3.
    expect(result.states).toEqual(expectedStates(input.messages, { 1: 1, 2: 1 }));
    const [job] = emulator.jobs();
    expect(emulator.jobs()).toHaveLength(1);
    expect(logs(result, 'WARN').filter((m) => m.includes('failed in Marketo'))).toEqual([
      `Stream "contacts": job ${job!.batchId} row 2 failed in Marketo: Value for lookup field 'email' not found`,
      `Stream "contacts": job ${job!.batchId} row 5 failed in Marketo: Value for lookup field 'email' not found`,
    ]);
    expect(logs(result, 'WARN').filter((m) => m.includes('could not be matched'))).toEqual([]);
    expect(logs(result, 'INFO')).toContain(`Stream "contacts": job ${job!.batchId} row 4 imported with a warning: Invalid email address`);
    // The connector really was given the shape under test.
    expect((await report(`/bulk/v1/leads/batch/${job!.batchId}/failures.json`))[0]).toEqual(failuresHeader);
    expect((await report(`/bulk/v1/leads/batch/${job!.batchId}/warnings.json`))[0]).toEqual(warningsHeader);
  });
});

describe('success envelopes', () => {
  test.each<NonNullable<EmulatorOptions['envelope']>>(['docs', 'swagger'])('envelope %s: a sync of the three objects completes', async (envelope) => {
    emulator = await startEmulator({ envelope });
    const input = loadFixture('three-objects');
    const result = await runWrite(emulator, input, { config: { batching: { max_file_bytes: 1024 } } });
    expect(result.traces, result.stderr).toEqual([]);
    expect(result.states).toEqual(expectedStates(input.messages));
    expect(emulator.store.counts()).toMatchObject({ leads: 30, customObjects: { car_c: 15 } });
  });
});

describe('custom objects: every row of a file fails', () => {
  const input = fixture('cars', { type: 'custom_object', api_name: 'car_c' }, ['vin', 'make', 'model'], [
    { vin: null, make: 'bmw', model: '320i' },
    { vin: null, make: 'vw', model: 'golf' },
    { state: 1 },
    { vin: null, make: 'kia', model: 'ceed' },
    { state: 2 },
  ]);

  test('a Complete job whose rows all failed with missing.dedupe.fields: each row rejected and counted, every state echoed', async () => {
    emulator = await startEmulator();
    const result = await runWrite(emulator, input);
    expect(result.code, result.stderr).toBe(0);
    expect(result.states).toEqual(expectedStates(input.messages, { 1: 2, 2: 1 }));
    const [job] = emulator.jobs();
    expect(job).toMatchObject({ status: 'Complete', processed: 0, failed: 3 });
    const failed = logs(result, 'WARN').filter((m) => m.includes('failed in Marketo'));
    expect(failed).toEqual([1, 2, 3].map((row) => `Stream "cars": job ${job!.batchId} row ${row} failed in Marketo: missing.dedupe.fields`));
    expect(logs(result, 'INFO').some((m) => /complete: 3 rows, 3 failed, 0 warned/.test(m))).toBe(true);
    expect(emulator.store.customObjects('car_c')).toEqual([]);
  });

  test('a stream without the dedupe column is refused before any job, since Marketo would fail every row', async () => {
    emulator = await startEmulator();
    const noVin = fixture('cars', { type: 'custom_object', api_name: 'car_c' }, ['make', 'model'], [{ make: 'bmw', model: '320i' }, { state: 1 }]);
    const result = await runWrite(emulator, noVin);
    expect(result.code).toBe(1);
    const error = result.traces[0]!.error as { failure_type: string; message: string };
    expect(error.failure_type).toBe('config_error');
    expect(error.message).toMatch(/key field\(s\) "vin" are not among the stream's columns, so Marketo would fail every row/);
    expect(emulator.jobs()).toEqual([]);
  });
});

describe('lead column names in another case', () => {
  test('are renamed to the exact field name, with a WARN, and imported', async () => {
    emulator = await startEmulator();
    const input = fixture('contacts', LEADS, ['FirstName', 'LastName', 'Email', 'Company'], [
      { FirstName: 'Able', LastName: 'Baker', Email: 'ablebaker@marketo.com', Company: 'Acme' },
      { state: 1 },
    ]);
    const result = await runWrite(emulator, input);
    expect(result.code, result.stderr).toBe(0);
    expect(result.states).toEqual(expectedStates(input.messages));
    expect(logs(result, 'WARN')).toContain(
      'Stream "contacts": column(s) "FirstName" → "firstName", "LastName" → "lastName", "Email" → "email", "Company" → "company" renamed to the exact name of their Marketo field',
    );
    expect(emulator.store.leads()).toEqual([expect.objectContaining({ firstName: 'Able', lastName: 'Baker', email: 'ablebaker@marketo.com', company: 'Acme' })]);
  });

  test('two columns naming one field in different cases are a config_error', async () => {
    emulator = await startEmulator();
    const input = fixture('contacts', LEADS, ['email', 'Email'], [{ email: 'a@example.com', Email: 'b@example.com' }]);
    const result = await runWrite(emulator, input);
    expect(result.code).toBe(1);
    expect((result.traces[0]!.error as { message: string }).message).toMatch(/several columns name the same field: "email"/);
  });
});

describe('a token accepted in the form field access_token', () => {
  test('the connector still sends it in the Authorization header only', async () => {
    emulator = await startEmulator({ acceptFormToken: true });
    const input = loadFixture('three-objects');
    const result = await runWrite(emulator, input, { config: { batching: { max_file_bytes: 1024 } } });
    expect(result.code, result.stderr).toBe(0);
    expect(emulator.violations()).toEqual([]);
    const api = emulator.timeline.filter((e) => e.kind === 'request' && e.auth !== 'not-required');
    expect(requestsTo(emulator, /import\.json$|leads\.json$/)).toBeGreaterThan(3);
    expect(api.every((e) => e.kind === 'request' && e.auth === 'ok')).toBe(true);
  });
});
