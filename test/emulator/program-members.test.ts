import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { call, errorCode, resultOf, upload, type Answer, openEmulator, swaggerConformance } from './helpers.js';

const swagger = swaggerConformance();
const schema = {
  create: swagger.operation('mapi', 'post', '/bulk/v1/program/{programId}/members/import.json'),
  status: swagger.operation('mapi', 'get', '/bulk/v1/program/members/import/{batchId}/status.json'),
};

let emulator: Emulator;
let token: string;
// The Swagger envelope, so that every answer can be validated against the SPEC (fidelity.test.ts covers the DOCS one).
beforeEach(async () => ({ emulator, token } = await openEmulator({ envelope: 'swagger' })));
afterEach(() => emulator.close());

const importMembers = (csv: string, query: string, fields?: Record<string, string>, programId = '1001'): Promise<Answer> =>
  upload(emulator, `/bulk/v1/program/${programId}/members/import.json?${query}`, { token, csv, ...(fields ? { fields } : {}) });

async function status(batchId: unknown): Promise<Answer> {
  const res = await call(emulator, `/bulk/v1/program/members/import/${String(batchId)}/status.json`, { token });
  schema.status(res.json);
  return res;
}

describe('bulk program member import', () => {
  test('create (uppercase format, as in the SPEC) answers Queued with batchId and importId', async () => {
    const res = await importMembers('email\nann@x.co\n', 'format=CSV&programMemberStatus=Registered');
    schema.create(res.json);
    expect(resultOf(res)).toMatchObject({ status: 'Queued', importId: String(resultOf(res).batchId) });
  });

  test('members get the status; leads are found or created by email and get the lead columns', async () => {
    const first = resultOf(await importMembers('email,firstName\nann@x.co,Ann\n', 'format=csv&programMemberStatus=Invited'));
    await status(first.batchId);
    const csv = 'email,firstName,registrationCode,attendanceMinutes\nANN@x.co,Annie,R-1,30\nbo@x.co,Bo,R-2,\n';
    const second = resultOf(await importMembers(csv, 'format=csv', { programMemberStatus: 'Attended' }));
    expect(resultOf(await status(second.batchId))).toMatchObject({
      status: 'Complete',
      numOfLeadsProcessed: 2,
      numOfRowsFailed: 0,
      message: 'Import succeeded, 2 records imported (2 members)',
    });
    expect(emulator.store.leads()).toMatchObject([
      { id: 1, email: 'ANN@x.co', firstName: 'Annie' },
      { id: 2, email: 'bo@x.co', firstName: 'Bo' },
    ]);
    expect(emulator.store.programMembers(1001)).toMatchObject([
      { programId: 1001, leadId: 1, email: 'ANN@x.co', statusName: 'Attended', reachedSuccess: true, registrationCode: 'R-1', attendanceMinutes: 30 },
      { programId: 1001, leadId: 2, email: 'bo@x.co', statusName: 'Attended', registrationCode: 'R-2' },
    ]);
    expect(emulator.store.programMembers(1002)).toEqual([]);
  });

  test('a row without an email fails; an invalid email warns; a bad integer fails', async () => {
    const csv = 'email,attendanceMinutes\n,10\nnot-an-email,5\nc@x.co,half\n';
    const { batchId } = resultOf(await importMembers(csv, 'format=csv&programMemberStatus=Member', undefined, '1002'));
    expect(resultOf(await status(batchId))).toMatchObject({ numOfLeadsProcessed: 1, numOfRowsFailed: 2, numOfRowsWithWarning: 1 });
    const failures = await call(emulator, `/bulk/v1/program/members/import/${String(batchId)}/failures.json`, { token });
    expect((parse(failures.text, { columns: true }) as Record<string, string>[]).map((r) => r['Import Failure Reason'])).toEqual([
      "Value for lookup field 'email' not found",
      'Invalid data type in field Attendance Minutes',
    ]);
    const warnings = await call(emulator, `/bulk/v1/program/members/import/${String(batchId)}/warnings.json`, { token });
    expect(warnings.text).toContain('not-an-email,5,Invalid email address');
  });

  test('the program, the status and the columns are checked at submit', async () => {
    expect(errorCode(await importMembers('email\na@x.co\n', 'format=csv&programMemberStatus=Invited', undefined, '9999'))).toBe('1013');
    expect(errorCode(await importMembers('email\na@x.co\n', 'format=csv&programMemberStatus=Subscribed'))).toBe('1003');
    expect(errorCode(await importMembers('email\na@x.co\n', 'format=csv&programMemberStatus=Not%20in%20Program'))).toBe('1003');
    expect(errorCode(await importMembers('email\na@x.co\n', 'format=csv'))).toBe('1003');
    expect(errorCode(await importMembers('email,shoeSize\na@x.co,9\n', 'format=csv&programMemberStatus=Invited'))).toBe('1006');
    expect(emulator.jobs()).toHaveLength(0);
  });
});

swagger.test();
