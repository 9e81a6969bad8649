import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, test } from 'vitest';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js';
import { call, errorCode, getToken, ManualClock, openEmulator, resultOf, upload, type Answer } from './helpers.js';

// Where real Marketo was observed to answer differently from what the Swagger file allows (issue 17): the DOCS
// examples and published captures, with the options that keep the other forms.

let emulator: Emulator;
let token: string;
let clock: ManualClock;
afterEach(() => emulator.close());

async function open(options: EmulatorOptions = {}): Promise<void> {
  clock = new ManualClock();
  ({ emulator, token } = await openEmulator({ clock, ...options }));
}

const importLeads = (csv: string, query = 'format=csv'): Promise<Answer> => upload(emulator, `/bulk/v1/leads.json?${query}`, { token, csv });
const importCars = (csv: string): Promise<Answer> => upload(emulator, '/bulk/v1/customobjects/car_c/import.json?format=csv', { token, csv });
const importMembers = (csv: string): Promise<Answer> =>
  upload(emulator, '/bulk/v1/program/1001/members/import.json?format=CSV&programMemberStatus=Registered', { token, csv });
const leadFile = (batchId: unknown, kind: 'failures' | 'warnings'): Promise<Answer> =>
  call(emulator, `/bulk/v1/leads/batch/${String(batchId)}/${kind}.json`, { token });
const leadStatus = async (batchId: unknown) => resultOf(await call(emulator, `/bulk/v1/leads/batch/${String(batchId)}.json`, { token }));

describe('success envelopes', () => {
  test('by default they carry only requestId, success and result, and create answers only the DOCS keys', async () => {
    await open();
    const lead = await importLeads('email\nann@example.com\n');
    expect(Object.keys(lead.json as object)).toEqual(['requestId', 'success', 'result']);
    expect(resultOf(lead)).toEqual({ batchId: expect.any(Number), importId: String(resultOf(lead).batchId), status: 'Queued' });
    expect(resultOf(await importCars('vin\nV1\n'))).toEqual({ batchId: expect.any(Number), status: 'Queued', objectApiName: 'car_c' });
    const member = resultOf(await importMembers('email\nann@example.com\n'));
    expect(member).toEqual({ batchId: expect.any(Number), importId: String(member.batchId), status: 'Queued' });
    const describe = await call(emulator, '/rest/v1/leads/describe2.json', { token });
    expect(Object.keys(describe.json as object)).toEqual(['requestId', 'success', 'result']);
    // The asset API's own examples do show empty errors and warnings.
    const program = await call(emulator, '/rest/asset/v1/program/1001.json', { token });
    expect(program.json).toMatchObject({ success: true, errors: [], warnings: [] });
  });

  test("envelope 'swagger' adds errors, warnings and, on create, zero counters and operation", async () => {
    await open({ envelope: 'swagger' });
    const lead = await importLeads('email\nann@example.com\n');
    expect(lead.json).toMatchObject({ errors: [], warnings: [] });
    expect(resultOf(lead)).toMatchObject({ status: 'Queued', numOfLeadsProcessed: 0, numOfRowsFailed: 0, numOfRowsWithWarning: 0 });
    expect(resultOf(await importCars('vin\nV1\n'))).toMatchObject({ operation: 'import', numOfObjectsProcessed: 0 });
  });
});

describe('failures and warnings files', () => {
  const csv = [
    'firstName,lastName,phone,email',
    'Ann,Lee,111,ann@example.com',
    'Bo,Ng,,',
    'Cy,,,not-an-email',
  ].join('\n');

  test('leave out the columns empty in every row they list, as the captured firstName,lastName,phone,Import Failure Reason', async () => {
    await open();
    const { batchId } = resultOf(await importLeads(csv));
    expect(parse((await leadFile(batchId, 'failures')).text)).toEqual([
      ['firstName', 'lastName', 'Import Failure Reason'],
      ['Bo', 'Ng', "Value for lookup field 'email' not found"],
    ]);
    expect(parse((await leadFile(batchId, 'warnings')).text)).toEqual([
      ['firstName', 'email', 'Import Warning Reason'],
      ['Cy', 'not-an-email', 'Invalid email address'],
    ]);
  });

  test("reportColumns 'all' keeps the whole header", async () => {
    await open({ reportColumns: 'all' });
    const { batchId } = resultOf(await importLeads(csv));
    expect(parse((await leadFile(batchId, 'failures')).text)).toEqual([
      ['firstName', 'lastName', 'phone', 'email', 'Import Failure Reason'],
      ['Bo', 'Ng', '', '', "Value for lookup field 'email' not found"],
    ]);
  });
});

describe('what a create call answers', () => {
  test("createStatus 'live': Importing when a slot is free (even for an instant job), Queued behind two others", async () => {
    await open({ createStatus: 'live', rowsPerSecond: 1 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(resultOf(await importLeads(`email\nlead${i}@example.com\n`)).status);
    expect(statuses).toEqual(['Importing', 'Importing', 'Queued']);
    emulator.configure({ rowsPerSecond: Infinity });
    clock.advance(1000);
    expect(resultOf(await importLeads('email\nlast@example.com\n')).status).toBe('Importing');
    expect(emulator.jobs().at(-1)).toMatchObject({ status: 'Complete' });
  });

  test('failJob atCreate: the create call answers Failed with the message; the job takes no slot and lands nothing', async () => {
    await open();
    emulator.faults.failJob({ match: 'next', message: 'Import failed: internal error', atCreate: true });
    const failed = resultOf(await importLeads('email\nann@example.com\n'));
    expect(failed).toEqual({ batchId: expect.any(Number), importId: String(failed.batchId), status: 'Failed', message: 'Import failed: internal error' });
    expect(await leadStatus(failed.batchId)).toMatchObject({ status: 'Failed', message: 'Import failed: internal error' });
    expect(resultOf(await importLeads('email\nbo@example.com\n')).status).toBe('Queued');
    clock.advance(1000);
    expect(emulator.store.leads().map((l) => l.email)).toEqual(['bo@example.com']);
    const events = emulator.timeline.filter((e) => e.kind === 'job' && e.batchId === failed.batchId).map((e) => e.kind === 'job' && e.event);
    expect(events).toEqual(['queued', 'failed']);
  });
});

describe('custom objects: a missing or misspelled dedupe column', () => {
  test("is accepted, and every row fails with missing.dedupe.fields (the DOCS' header color,make,model, vin)", async () => {
    await open();
    const res = await importCars('color,make,model, vin\nred,bmw,2002,WBA4R7C55HK895912\nblue,vw,golf,WVW1\n');
    const { batchId } = resultOf(res);
    clock.advance(1000);
    const status = resultOf(await call(emulator, `/bulk/v1/customobjects/car_c/import/${String(batchId)}/status.json`, { token }));
    expect(status).toMatchObject({ status: 'Complete', numOfObjectsProcessed: 0, numOfRowsFailed: 2, message: 'Import completed with errors, 0 records imported (0 members), 2 failed' });
    const failures = await call(emulator, `/bulk/v1/customobjects/car_c/import/${String(batchId)}/failures.json`, { token });
    // The first two lines are the DOCS example, byte for byte.
    expect(failures.text).toBe(
      'color,make,model, vin,Import Failure Reason\nred,bmw,2002,WBA4R7C55HK895912,missing.dedupe.fields\nblue,vw,golf,WVW1,missing.dedupe.fields\n',
    );
    expect(emulator.store.customObjects('car_c')).toEqual([]);
  });
});

describe('lead headers', () => {
  test("match field names in any case, as the DOCS@v0 example FirstName,LastName,Email,Company", async () => {
    await open();
    const { batchId } = resultOf(await importLeads('FirstName,LastName,Email,Company\nAble,Baker,ablebaker@marketo.com,Acme\n'));
    clock.advance(1000);
    expect(await leadStatus(batchId)).toMatchObject({ status: 'Complete', numOfLeadsProcessed: 1 });
    expect(emulator.store.leads()).toEqual([expect.objectContaining({ firstName: 'Able', lastName: 'Baker', email: 'ablebaker@marketo.com', company: 'Acme' })]);
  });

  test('an unknown lookupField is 1006, a field that cannot be one is 1003', async () => {
    await open();
    expect((await importLeads('email\na@b.co\n', 'format=csv&lookupField=shoeSize')).json).toMatchObject({
      errors: [{ code: '1006', message: "Lookup field 'shoeSize' not found" }],
    });
    expect(errorCode(await importLeads('email\na@b.co\n', 'format=csv&lookupField=leadScore'))).toBe('1003');
  });
});

describe('identity', () => {
  test('a new token of 3600 s answers expires_in 3599, as the DOCS example', async () => {
    await open();
    const res = await call(emulator, '/identity/oauth/token?grant_type=client_credentials&client_id=emulator-client-id&client_secret=emulator-client-secret');
    expect(res.json).toMatchObject({ expires_in: 3599 });
  });
});

describe('a token in the multipart form field access_token', () => {
  test('is accepted with acceptFormToken, still recorded as a violation; a query-string token stays refused', async () => {
    await open({ acceptFormToken: true });
    const fresh = await getToken(emulator);
    const res = await upload(emulator, '/bulk/v1/leads.json', { csv: 'email\na@b.co\n', fields: { format: 'csv', access_token: fresh } });
    expect(resultOf(res)).toMatchObject({ status: 'Queued' });
    expect(emulator.violations()).toEqual(['access_token sent as a form field: POST /bulk/v1/leads.json']);
    const wrong = await upload(emulator, '/bulk/v1/leads.json', { csv: 'email\na@b.co\n', fields: { access_token: 'not-a-token' } });
    expect(errorCode(wrong)).toBe('601');
    expect(errorCode(await call(emulator, `/rest/v1/leads/describe2.json?access_token=${fresh}`))).toBe('603');
  });
});
