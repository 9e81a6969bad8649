import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { BulkImportApi } from '../../src/marketo/bulk-import.js';
import { MarketoClient } from '../../src/marketo/client.js';
import { DeleteApi, isAbsent, isApplied } from '../../src/marketo/deletes.js';
import { MarketoError } from '../../src/marketo/errors.js';
import { emulatorClientOptions } from '../helpers/client.js';

let emulator: Emulator;
let client: MarketoClient;
let api: DeleteApi;

const requests = () => emulator.timeline.filter((e) => e.kind === 'request' && e.path !== '/identity/oauth/token');

beforeEach(async () => {
  emulator = await startEmulator();
  client = new MarketoClient(emulatorClientOptions(emulator));
  api = new DeleteApi(client);
  const bulk = new BulkImportApi(client);
  await bulk.create({ kind: 'leads', lookupField: 'email', listId: 7 }, Buffer.from('email,loyaltyId\na@x.co,L1\nb@x.co,L2\n'), 'csv');
  await bulk.create({ kind: 'custom_object', apiName: 'car_c' }, Buffer.from('vin,make\nV1,bmw\n'), 'csv');
  await bulk.create({ kind: 'program_members', programId: '1001', status: 'Registered' }, Buffer.from('email\na@x.co\n'), 'csv');
});
afterEach(async () => {
  await client.close();
  await emulator.close();
});

describe('DeleteApi against the emulator', () => {
  test('deletes leads by id: one result per input, in input order; an unknown id is absent', async () => {
    const results = await api.delete({ kind: 'leads' }, [{ id: 99 }, { id: 2 }]);
    expect(results).toEqual([
      { status: 'skipped', reason: { code: '1004', message: 'Lead not found' } },
      { status: 'deleted' },
    ]);
    expect(results.map(isAbsent)).toEqual([true, false]);
    expect(results.map(isApplied)).toEqual([false, true]);
    expect(emulator.store.leads().map((l) => l.email)).toEqual(['a@x.co']);
  });

  test('custom objects by dedupe fields, program members by leadId, list removal by id', async () => {
    expect(await api.delete({ kind: 'custom_object', apiName: 'car_c', deleteBy: 'dedupeFields' }, [{ vin: 'V9' }, { vin: 'V1' }])).toEqual([
      { status: 'skipped', reason: { code: '1013', message: 'Object not found' } },
      { status: 'deleted' },
    ]);
    expect(await api.delete({ kind: 'program_members', programId: '1001' }, [{ leadId: 1 }])).toEqual([{ status: 'deleted' }]);
    expect(await api.delete({ kind: 'list', listId: 7 }, [{ id: 2 }, { id: 1 }])).toEqual([{ status: 'removed' }, { status: 'removed' }]);
    expect(emulator.store.listMembers(7)).toEqual([]);
    expect(emulator.store.counts()).toMatchObject({ leads: 2, programMembers: 0, customObjects: { car_c: 0 } });
  });

  test('finds lead ids by a lookup field, ignoring the case of emails; a long filter goes as POST ?_method=GET', async () => {
    const byEmail = await api.findLeads('email', ['A@x.co', 'zed@x.co']);
    expect([...byEmail]).toEqual([['a@x.co', [1]]]);
    expect([...(await api.findLeads('loyaltyId', ['L2']))]).toEqual([['l2', [2]]]);
    const many = Array.from({ length: 300 }, (_, i) => `someone-with-a-long-address-${i}@example.com`);
    const found = await api.findLeads('email', [...many.slice(1), 'b@x.co']);
    expect([...found]).toEqual([['b@x.co', [2]]]);
    expect(requests().slice(-3).map((e) => e.kind === 'request' && e.method)).toEqual(['GET', 'GET', 'POST']);
  });

  test('transient codes are retried through the client; 603 is a config error', async () => {
    emulator.faults.inject({ path: '/rest/v1/leads/delete.json', kind: 'marketo', code: '604', times: 2 });
    expect(await api.delete({ kind: 'leads' }, [{ id: 1 }])).toEqual([{ status: 'deleted' }]);
    emulator.configure({ permissions: 'read-only' });
    const refused = await api.delete({ kind: 'leads' }, [{ id: 2 }]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MarketoError);
    expect((refused as MarketoError).kind).toBe('config');
  });

  test('more than 300 records never reach Marketo', async () => {
    await expect(api.delete({ kind: 'leads' }, Array.from({ length: 301 }, (_, i) => ({ id: i })))).rejects.toThrow(RangeError);
  });
});
