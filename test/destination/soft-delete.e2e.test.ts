import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { getToken, upload } from '../emulator/helpers.js';
import { ndjson } from '../helpers/cli.js';
import { expectedStates, requestsTo, runWrite } from '../helpers/sync.js';

// Streams whose every record is a deletion: data activation's soft_delete and stream_mappings' action "delete",
// for the three objects and each kind of key.

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
  const token = await getToken(emulator);
  // Four leads (ids 1-4), three cars, a and b members of both programs.
  await upload(emulator, '/bulk/v1/leads.json', { token, csv: 'email,loyaltyId\na@x.co,L1\nb@x.co,L2\nc@x.co,L3\nd@x.co,L4\n' });
  await upload(emulator, '/bulk/v1/customobjects/car_c/import.json', { token, csv: 'vin,make\nV1,bmw\nV2,vw\nV3,kia\n' });
  for (const program of [1001, 1002]) {
    const status = program === 1001 ? 'Registered' : 'Member';
    await upload(emulator, `/bulk/v1/program/${program}/members/import.json?programMemberStatus=${status}`, { token, csv: 'email\na@x.co\nb@x.co\n' });
  }
});
afterEach(async () => {
  await emulator.close();
});

type Json = Record<string, unknown>;
const rec = (stream: string, data: Json): Json => ({ type: 'RECORD', record: { stream, data, emitted_at: 1 } });
const state = (id: number): Json => ({ type: 'STATE', state: { type: 'GLOBAL', id, global: { shared_state: { id }, stream_states: [] } } });

function stream(name: string, properties: Record<string, string>, extra: Json = {}): Json {
  return {
    stream: {
      name,
      json_schema: { type: 'object', properties: Object.fromEntries(Object.entries(properties).map(([k, t]) => [k, { type: t }])) },
      supported_sync_modes: ['incremental'],
    },
    sync_mode: 'incremental',
    destination_sync_mode: 'append_dedup',
    ...extra,
  };
}
const softDelete = (name: string, object: string, key: string[][], properties: Record<string, string>): Json =>
  stream(name, properties, { destination_sync_mode: 'soft_delete', destination_object_name: object, primary_key: key, generation_id: 1, minimum_generation_id: 0, sync_id: 1 });

const emails = () => emulator.store.leads().map((l) => l.email);
const vins = () => emulator.store.customObjects('car_c').map((c) => c.vin);
const members = (program: number) => emulator.store.programMembers(program).map((m) => m.email);
const guidOf = (vin: string) => emulator.store.customObjects('car_c').find((c) => c.vin === vin)!.marketoGUID as string;

describe('soft_delete through data activation', () => {
  test('leads by a lookup field and by id, cars by dedupe field and by marketoGUID, members by email or leadId and program', async () => {
    const catalog = {
      streams: [
        softDelete('gone_by_loyalty', 'leads', [['loyaltyId']], { loyaltyId: 'string' }),
        softDelete('gone_by_id', 'leads', [['id']], { id: 'integer' }),
        softDelete('cars_by_vin', 'custom_object:car_c', [['vin']], { vin: 'string' }),
        softDelete('cars_by_guid', 'custom_object:car_c', [['marketoGUID']], { marketoGUID: 'string' }),
        softDelete('members_by_email', 'program_members', [['email', 'programId']], { email: 'string', programId: 'integer' }),
        softDelete('members_by_lead', 'program_members', [['leadId'], ['programId']], { leadId: 'integer', programId: 'integer' }),
      ],
    };
    const messages = [
      rec('members_by_email', { email: 'a@x.co', programId: 1001 }),
      rec('members_by_lead', { leadId: 2, programId: 1002 }),
      state(1),
      rec('cars_by_vin', { vin: 'V1' }),
      rec('cars_by_guid', { marketoGUID: guidOf('V2') }),
      rec('cars_by_vin', { vin: 'V9' }),
      state(2),
      rec('gone_by_loyalty', { loyaltyId: 'L3' }),
      rec('gone_by_id', { id: 4 }),
      rec('gone_by_id', { id: 99 }),
      state(3),
    ];
    const result = await runWrite(emulator, { config: {}, catalog, messages: ndjson(messages) });
    expect(result.traces).toEqual([]);
    expect(result.code).toBe(0);
    expect(members(1001)).toEqual(['b@x.co']);
    expect(members(1002)).toEqual(['a@x.co']);
    expect(vins()).toEqual(['V3']);
    expect(emails()).toEqual(['a@x.co', 'b@x.co']);
    // Not found (V9, lead 99) is already deleted: counted as written, logged once per stream with a count.
    expect(result.states).toEqual(expectedStates(ndjson(messages)));
    const absent = result.logs.filter((l) => l.message.includes('found nothing to delete')).map((l) => l.message);
    expect(absent.sort()).toEqual([
      'Stream "cars_by_vin": 1 deletion(s) found nothing to delete in Marketo (already absent); counted as written',
      'Stream "gone_by_id": 1 deletion(s) found nothing to delete in Marketo (already absent); counted as written',
    ]);
    // One lookup for the loyaltyId and one for the member's email; everything else is deleted by id or dedupe key.
    expect(requestsTo(emulator, /^\/rest\/v1\/leads\.json$/)).toBe(2);
    expect(requestsTo(emulator, /\/delete\.json$/)).toBe(6);
  });

  test('a soft_delete key discover does not offer is a config error', async () => {
    const catalog = { streams: [softDelete('bad', 'program_members', [['email']], { email: 'string', programId: 'integer' })] };
    const result = await runWrite(emulator, { config: {}, catalog, messages: ndjson([rec('bad', { email: 'a@x.co', programId: 1001 })]) });
    expect(result.code).toBe(1);
    expect(result.traces[0]).toMatchObject({ error: { failure_type: 'config_error', message: expect.stringContaining('program members are deleted by') } });
    expect(members(1001)).toHaveLength(2);
  });
});

describe('stream_mappings with action "delete"', () => {
  test('leads by the lookup field, custom objects by dedupe field or marketoGUID, members by email or leadId', async () => {
    const catalog = {
      streams: [
        stream('old_contacts', { email: 'string' }),
        stream('old_cars', { vin: 'string' }),
        stream('old_car_ids', { marketoGUID: 'string' }),
        stream('unregistered', { email: 'string' }),
        stream('unsubscribed', { leadId: 'integer' }),
      ],
    };
    const stream_mappings = [
      { stream: 'old_contacts', action: 'delete', object: { type: 'leads', lookup_field: 'email' } },
      { stream: 'old_cars', action: 'delete', object: { type: 'custom_object', api_name: 'car_c' } },
      { stream: 'old_car_ids', action: 'delete', object: { type: 'custom_object', api_name: 'car_c' } },
      { stream: 'unregistered', action: 'delete', object: { type: 'program_members', program_id: 1001 } },
      { stream: 'unsubscribed', action: 'delete', object: { type: 'program_members', program_id: 1002, program_member_status: 'Member' } },
    ];
    const messages = [
      rec('unregistered', { email: 'B@x.co' }),
      rec('unsubscribed', { leadId: 1 }),
      rec('old_cars', { vin: 'V3' }),
      rec('old_car_ids', { marketoGUID: guidOf('V1') }),
      state(1),
      rec('old_contacts', { email: 'c@x.co' }),
      rec('old_contacts', { email: 'nobody@x.co' }),
      state(2),
    ];
    const result = await runWrite(emulator, { config: { stream_mappings }, catalog, messages: ndjson(messages) });
    expect(result.traces).toEqual([]);
    expect(result.code).toBe(0);
    expect(members(1001)).toEqual(['a@x.co']);
    expect(members(1002)).toEqual(['b@x.co']);
    expect(vins()).toEqual(['V2']);
    expect(emails()).toEqual(['a@x.co', 'b@x.co', 'd@x.co']);
    expect(result.states).toEqual(expectedStates(ndjson(messages)));
  });

  test('a stream of deletions without its key among its columns is a config error naming it', async () => {
    const catalog = { streams: [stream('old_cars', { make: 'string' })] };
    const stream_mappings = [{ stream: 'old_cars', action: 'delete', object: { type: 'custom_object', api_name: 'car_c' } }];
    const result = await runWrite(emulator, { config: { stream_mappings }, catalog, messages: ndjson([rec('old_cars', { make: 'bmw' })]) });
    expect(result.code).toBe(1);
    expect(result.traces[0]).toMatchObject({
      error: { failure_type: 'config_error', message: expect.stringContaining('a stream of deletions needs its key among its columns: ["vin"] or ["marketoGUID"]') },
    });
  });
});
