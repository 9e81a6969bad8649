import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { hasReference } from '../helpers/reference.js';
import { call, errorCode, expectValid, openEmulator, responseSchema, resultOf, swaggerConformance, upload, type Answer } from './helpers.js';

const swagger = swaggerConformance();
const schema = {
  create: swagger.operation('mapi', 'post', '/bulk/v1/leads.json'),
  status: swagger.operation('mapi', 'get', '/bulk/v1/leads/batch/{batchId}.json'),
};

let emulator: Emulator;
let token: string;
// The Swagger envelope, so that every answer can be validated against the SPEC (fidelity.test.ts covers the DOCS one).
beforeEach(async () => ({ emulator, token } = await openEmulator({ envelope: 'swagger' })));
afterEach(() => emulator.close());

async function importLeads(csv: string, query = 'format=csv', fields?: Record<string, string>): Promise<Answer> {
  return upload(emulator, `/bulk/v1/leads.json?${query}`, { token, csv, ...(fields ? { fields } : {}) });
}

async function status(batchId: unknown): Promise<Answer> {
  const res = await call(emulator, `/bulk/v1/leads/batch/${String(batchId)}.json`, { token });
  schema.status(res.json);
  return res;
}

describe('bulk lead import', () => {
  test.skipIf(!hasReference)('the Swagger validators are strict enough to catch a wrong shape', () => {
    const statusSchema = responseSchema('mapi', 'get', '/bulk/v1/leads/batch/{batchId}.json');
    expect(() => expectValid(statusSchema, { requestId: 'a#b', success: true, errors: [], warnings: [], result: [{ batchId: 1 }] })).toThrow(
      /numOfLeadsProcessed/,
    );
    expect(() => expectValid(statusSchema, { requestId: 'a#b', success: true, result: [] })).toThrow(/errors/);
  });

  test('create answers Queued with an integer batchId and a string importId, matching the Swagger', async () => {
    const res = await importLeads('email,firstName\nann@example.com,Ann\n');
    schema.create(res.json);
    expect(resultOf(res)).toMatchObject({ batchId: expect.any(Number), status: 'Queued' });
    expect(resultOf(res).importId).toBe(String(resultOf(res).batchId));
  });

  test('a complete job reports documented counters and message; failures and warnings are separate files', async () => {
    const csv = [
      'firstName,lastName,email,title,company,leadScore',
      'Ann,Lee,ann@example.com,CEO,Acme,10',
      'Aerys,Targaryen,Aerys@Targaryen.com,Targaryen,House Targaryen,TEXT_VALUE_IN_INTEGER_FIELD',
      'Bo,Ng,INVALID_EMAIL,CTO,Beta,0',
      'No,Email,,CFO,Gamma,1',
    ].join('\n');
    const { batchId } = resultOf(await importLeads(csv));
    expect(resultOf(await status(batchId))).toEqual({
      batchId,
      importId: String(batchId),
      status: 'Complete',
      numOfLeadsProcessed: 2,
      numOfRowsFailed: 2,
      numOfRowsWithWarning: 1,
      message: 'Import completed with errors, 2 records imported (2 members), 2 failed, 1 warning.',
    });

    const failures = await call(emulator, `/bulk/v1/leads/batch/${String(batchId)}/failures.json`, { token });
    expect(failures.status).toBe(200);
    expect(failures.headers['content-type']).toBe('text/csv;charset=UTF-8');
    expect(parse(failures.text, { columns: true })).toEqual([
      {
        firstName: 'Aerys',
        lastName: 'Targaryen',
        email: 'Aerys@Targaryen.com',
        title: 'Targaryen',
        company: 'House Targaryen',
        leadScore: 'TEXT_VALUE_IN_INTEGER_FIELD',
        'Import Failure Reason': 'Invalid data type in field Lead Score',
      },
      { firstName: 'No', lastName: 'Email', email: '', title: 'CFO', company: 'Gamma', leadScore: '1', 'Import Failure Reason': "Value for lookup field 'email' not found" },
    ]);
    const warnings = await call(emulator, `/bulk/v1/leads/batch/${String(batchId)}/warnings.json`, { token });
    expect(parse(warnings.text, { columns: true })).toEqual([
      { firstName: 'Bo', lastName: 'Ng', email: 'INVALID_EMAIL', title: 'CTO', company: 'Beta', leadScore: '0', 'Import Warning Reason': 'Invalid email address' },
    ]);
    // The warned row was imported; the failed ones were not.
    expect(emulator.store.leads().map((l) => l.email)).toEqual(['ann@example.com', 'INVALID_EMAIL']);
  });

  test('success and single-warning messages follow the DOCS templates', async () => {
    const ok = resultOf(await importLeads('email\na@x.co\nb@x.co\nc@x.co\n'));
    expect(resultOf(await status(ok.batchId)).message).toBe('Import succeeded, 3 records imported (3 members)');
    const warned = resultOf(await importLeads('email\nnot-an-email\n'));
    expect(resultOf(await status(warned.batchId)).message).toBe('Import succeeded, 1 records imported (1 members), 1 warning.');
  });

  test('failures and warnings are 404 when there are none', async () => {
    const { batchId } = resultOf(await importLeads('email\na@x.co\n'));
    await status(batchId);
    for (const file of ['failures', 'warnings']) {
      expect((await call(emulator, `/bulk/v1/leads/batch/${String(batchId)}/${file}.json`, { token })).status).toBe(404);
    }
  });

  test('failure files keep the job format and quote values per RFC 4180, round-tripping through a CSV parser', async () => {
    const tricky = 'Zoë "Z" O\'Neil; Jr.\nsecond line';
    const csv = `email;firstName;leadScore\nz@x.co;"${tricky.replace(/"/g, '""')}";1.5\n`;
    const { batchId } = resultOf(await importLeads(csv, 'format=SSV'));
    await status(batchId);
    const failures = await call(emulator, `/bulk/v1/leads/batch/${String(batchId)}/failures.json`, { token });
    expect(parse(failures.text, { delimiter: ';' })).toEqual([
      ['email', 'firstName', 'leadScore', 'Import Failure Reason'],
      ['z@x.co', tricky, '1.5', 'Invalid data type in field Lead Score'],
    ]);
  });

  test.each([
    ['query, lower case', 'format=tsv', undefined],
    ['query, upper case', 'format=TSV', undefined],
    ['form field', '', { format: 'tsv' }],
  ])('format is read from the %s', async (_where, query, fields) => {
    const res = await importLeads('email\tcity\nt@x.co\tOslo, Norway\n', query, fields);
    await status(resultOf(res).batchId);
    expect(emulator.store.leads()).toMatchObject([{ email: 't@x.co', city: 'Oslo, Norway' }]);
  });

  test('format defaults to csv and rejects unknown values', async () => {
    const res = await importLeads('email,city\nd@x.co,Rome\n', '');
    await status(resultOf(res).batchId);
    expect(emulator.store.leads()).toMatchObject([{ city: 'Rome' }]);
    expect(errorCode(await importLeads('email\na@x.co\n', 'format=xlsx'))).toBe('1003');
  });

  test('rows are upserted by email (case-insensitive) in file order, so the last row wins', async () => {
    await status(resultOf(await importLeads('email,firstName,leadScore\nann@x.co,Ann,1\n')).batchId);
    await status(resultOf(await importLeads('email,firstName,leadScore\nANN@x.co,Annie,2\nann@x.co,Anna,3\nbob@x.co,Bob,\n')).batchId);
    const leads = emulator.store.leads();
    expect(leads).toHaveLength(2);
    expect(leads[0]).toMatchObject({ id: 1, email: 'ann@x.co', firstName: 'Anna', leadScore: 3 });
    expect(leads[1]).toMatchObject({ id: 2, email: 'bob@x.co', leadScore: null });
  });

  test('values are stored with their declared types', async () => {
    const csv = 'email,unsubscribed,annualRevenue,birthDate,lastPurchaseAt,numberOfEmployees\nt@x.co,TRUE,1250.75,1990-04-01,2026-01-05T10:00:00Z,12\n';
    await status(resultOf(await importLeads(csv)).batchId);
    expect(emulator.store.leads()[0]).toMatchObject({
      unsubscribed: true,
      annualRevenue: 1250.75,
      birthDate: '1990-04-01',
      lastPurchaseAt: '2026-01-05T10:00:00Z',
      numberOfEmployees: 12,
    });
  });

  test('empty cells clear stored values by default, or keep them when configured', async () => {
    await status(resultOf(await importLeads('email,city,title\nk@x.co,Paris,CEO\n')).batchId);
    await status(resultOf(await importLeads('email,city,title\nk@x.co,,\n')).batchId);
    expect(emulator.store.leads()[0]).toMatchObject({ city: null, title: null });
    emulator.configure({ emptyCells: 'keep' });
    await status(resultOf(await importLeads('email,city,title\nk@x.co,Lyon,CTO\n')).batchId);
    await status(resultOf(await importLeads('email,city,title\nk@x.co,,CIO\n')).batchId);
    expect(emulator.store.leads()[0]).toMatchObject({ city: 'Lyon', title: 'CIO' });
  });

  test('a custom lookup field upserts by that field; lookupField may come as a form field', async () => {
    await status(resultOf(await importLeads('loyaltyId,email\nL-1,one@x.co\n', 'format=csv&lookupField=loyaltyId')).batchId);
    await status(resultOf(await importLeads('loyaltyId,email\nL-1,changed@x.co\n', '', { format: 'csv', lookupField: 'loyaltyId' })).batchId);
    expect(emulator.store.leads()).toEqual([expect.objectContaining({ id: 1, loyaltyId: 'L-1', email: 'changed@x.co' })]);
  });

  test('lookupField=id only updates existing leads', async () => {
    await status(resultOf(await importLeads('email\nu@x.co\n')).batchId);
    const { batchId } = resultOf(await importLeads('id,company\n1,Acme\n999,Ghost\n', 'format=csv&lookupField=id'));
    expect(resultOf(await status(batchId))).toMatchObject({ numOfLeadsProcessed: 1, numOfRowsFailed: 1 });
    expect(emulator.store.leads()).toEqual([expect.objectContaining({ id: 1, email: 'u@x.co', company: 'Acme' })]);
  });

  test('a lookup field that is not lookup-capable is refused', async () => {
    expect(await importLeads('email,city\na@x.co,X\n', 'format=csv&lookupField=city')).toMatchObject({
      json: { success: false, errors: [{ code: '1003' }] },
    });
  });

  test('listId adds the imported leads to the static list', async () => {
    await status(resultOf(await importLeads('email\nl1@x.co\nl2@x.co\n', 'format=csv&listId=77')).batchId);
    expect(emulator.store.listMembers(77)).toEqual([1, 2]);
    expect(errorCode(await importLeads('email\na@x.co\n', 'format=csv&listId=abc'))).toBe('1003');
  });

  test('partitionName is accepted', async () => {
    const res = await importLeads('email\np@x.co\n', 'format=csv&partitionName=Default');
    expect(resultOf(res)).toMatchObject({ status: 'Queued' });
  });

  test('a header naming no lead field fails the submit with 1006 and creates no job', async () => {
    const res = await importLeads('email,favouriteColour\na@x.co,blue\n');
    expect(res.json).toMatchObject({ success: false, errors: [{ code: '1006', message: "Field 'favouriteColour' not found" }] });
    expect(emulator.jobs()).toHaveLength(0);
  });

  test('an empty file is refused with 1003', async () => {
    expect(await importLeads('')).toMatchObject({ json: { errors: [{ code: '1003', message: 'Empty file' }] } });
  });

  test('a malformed multipart body gets 613, a non-multipart body 612', async () => {
    const malformed = await request(`${emulator.url}/bulk/v1/leads.json?format=csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=XYZ' },
      body: '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nemail\r\na@b.co\r\n',
    });
    expect(JSON.parse(await malformed.body.text())).toMatchObject({ success: false, errors: [{ code: '613' }] });
    const plain = await call(emulator, '/bulk/v1/leads.json?format=csv', { method: 'POST', token, body: 'email\na@b.co\n', headers: { 'content-type': 'text/csv' } });
    expect(errorCode(plain)).toBe('612');
  });

  test('a multipart body without a file part gets 613', async () => {
    const res = await request(`${emulator.url}/bulk/v1/leads.json`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=B' },
      body: '--B\r\nContent-Disposition: form-data; name="format"\r\n\r\ncsv\r\n--B--\r\n',
    });
    expect(JSON.parse(await res.body.text())).toMatchObject({ errors: [{ code: '613' }] });
  });

  test('an unreadable file (unclosed quote) fails the job with a message', async () => {
    const { batchId } = resultOf(await importLeads('email,city\na@x.co,"Paris\n'));
    expect(resultOf(await status(batchId))).toMatchObject({ status: 'Failed', message: expect.stringMatching(/Unclosed quoted field/) });
  });

  test('status of an unknown batch is an error envelope', async () => {
    expect(errorCode(await call(emulator, '/bulk/v1/leads/batch/4242.json', { token }))).toBe('1003');
  });

  test('the timeline records the uploaded file size and the batch', async () => {
    const csv = 'email\nsize@x.co\n';
    const { batchId } = resultOf(await importLeads(csv));
    const entry = emulator.timeline.find((e) => e.kind === 'request' && e.method === 'POST');
    expect(entry).toMatchObject({ path: '/bulk/v1/leads.json', fileBytes: Buffer.byteLength(csv), batchId, status: 200, auth: 'ok' });
  });
});

describe('upload size limit', () => {
  const LIMIT = 10 * 1024 * 1024;

  test('a body over 10 MiB with Content-Length gets HTTP 413', async () => {
    const res = await request(`${emulator.url}/bulk/v1/leads.json?format=csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=B' },
      body: Buffer.alloc(LIMIT + 1, 97),
    });
    expect(res.statusCode).toBe(413);
    await res.body.dump();
    expect(emulator.jobs()).toHaveLength(0);
  });

  test('a chunked body is answered 413 as soon as it passes 10 MiB, before the client has finished', async () => {
    const answered = () => emulator.timeline.some((e) => e.kind === 'request' && e.status === 413);
    let answeredBeforeEnd = false;
    async function* chunks() {
      for (let i = 0; i < 11; i++) yield Buffer.alloc(1024 * 1024, 98);
      // Hold the rest of the body back until the emulator has answered (event-loop turns, no timers).
      for (let turn = 0; turn < 10_000 && !answered(); turn++) await new Promise((resolve) => setImmediate(resolve));
      answeredBeforeEnd = answered();
      for (let i = 0; i < 20; i++) yield Buffer.alloc(1024 * 1024, 98);
    }
    const res = await request(`${emulator.url}/bulk/v1/leads.json?format=csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=B' },
      body: Readable.from(chunks()),
    });
    expect(res.statusCode).toBe(413);
    await res.body.dump();
    expect(answeredBeforeEnd).toBe(true);
  });

  test('an upload just under the limit is accepted', async () => {
    const row = 'someone@example.com,Somebody\n';
    const csv = 'email,firstName\n' + row.repeat(Math.floor((LIMIT - 1024) / row.length));
    const res = await importLeads(csv);
    expect(resultOf(res)).toMatchObject({ status: 'Queued' });
  });
});

swagger.test();
