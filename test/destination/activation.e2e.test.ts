import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { defaultSeed, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { runCli, tempJson } from '../helpers/cli.js';
import { emulatorConfig, expectedStates, runWrite, withMessages } from '../helpers/sync.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await emulator.close();
});

type Json = Record<string, unknown>;
const rec = (stream: string, data: Json) => ({ type: 'RECORD', record: { stream, data, emitted_at: 1 } });
const state = (stream: string, id: number) => ({ type: 'STATE', state: { type: 'STREAM', id, stream: { stream_descriptor: { name: stream }, stream_state: { id } } } });
const ndjson = (messages: unknown[]) => messages.map((m) => JSON.stringify(m)).join('\n') + '\n';

/** A configured stream as the platform writes it for data activation: Marketo names, the source's types. */
function activated(name: string, object: string, mode: string, key: string[][], properties: Record<string, string>): Json {
  return {
    stream: {
      name,
      json_schema: { type: 'object', properties: Object.fromEntries(Object.entries(properties).map(([k, t]) => [k, { type: t }])) },
      supported_sync_modes: ['full_refresh', 'incremental'],
    },
    sync_mode: 'incremental',
    destination_sync_mode: mode,
    primary_key: key,
    destination_object_name: object,
    generation_id: 1,
    minimum_generation_id: 0,
    sync_id: 42,
  };
}

const fixture = (streams: Json[], messages: unknown[]) => ({
  config: {},
  catalog: { streams },
  messages: ndjson(messages),
});

describe('discover', () => {
  test('lists exactly the operations of the seeded schema, valid against the protocol', async () => {
    const config = tempJson(emulatorConfig(emulator), 'config.json');
    const result = withMessages(await runCli(['discover', '--config', config]));
    expect(result.code).toBe(0);
    const catalogs = result.messages.filter((m) => m.type === 'DESTINATION_CATALOG');
    expect(catalogs).toHaveLength(1);
    const operations = (catalogs[0]!.destination_catalog as { operations: Json[] }).operations;
    expect(operations.map((o) => [o.object_name, o.sync_mode, o.matching_keys])).toEqual([
      ['leads', 'append_dedup', [['email'], ['loyaltyId'], ['accountNumber']]],
      ['leads', 'update', [['id']]],
      ['custom_object:car_c', 'append_dedup', [['vin']]],
      ['custom_object:subscription_c', 'append_dedup', [['subscriptionId']]],
      ['program_members', 'append_dedup', [['email', 'programId']]],
    ]);
    const schemaOf = (i: number) => operations[i]!.json_schema as { properties: Record<string, Json>; required: string[]; additionalProperties: boolean };
    const leads = schemaOf(0);
    expect(leads.additionalProperties).toBe(false);
    expect(leads.properties.email).toEqual({ type: 'string' });
    expect(leads.properties.leadScore).toEqual({ type: 'integer' });
    expect(leads.properties.annualRevenue).toEqual({ type: 'number' });
    expect(leads.properties.unsubscribed).toEqual({ type: 'boolean' });
    expect(leads.properties.birthDate).toEqual({ type: 'string', format: 'date' });
    expect(leads.properties.lastPurchaseAt).toEqual({ type: 'string', format: 'date-time' });
    expect(leads.properties).not.toHaveProperty('id'); // not updateable, except in update mode
    expect(leads.properties).not.toHaveProperty('createdAt');
    expect(schemaOf(1).required).toEqual(['id']);
    expect(Object.keys(schemaOf(2).properties).sort()).toEqual(['color', 'make', 'model', 'ownerEmail', 'purchaseDate', 'vin', 'year']);
    expect(schemaOf(2).required).toEqual(['vin']);
    expect(schemaOf(4).required).toEqual(['email', 'programId', 'programMemberStatus']);
    expect(Object.keys(schemaOf(4).properties)).toEqual(['email', 'programId', 'programMemberStatus', 'registrationCode', 'attendanceMinutes']);
    // Cheap: the list of custom objects carries their fields, so three calls in all.
    expect(emulator.timeline.filter((e) => e.kind === 'request' && e.path.startsWith('/rest/')).length).toBe(3);
  });
});

describe('matching keys the mapping UI can map', () => {
  // Real instances have these SFDC ids: allowed as lookupField, but read-only, so not writable fields.
  const sfdc = ['sfdcLeadId', 'sfdcContactId', 'sfdcAccountId'].map((name) => ({ name, displayName: name, dataType: 'string', updateable: false, lookup: true }));
  let withSfdc: Emulator;
  beforeEach(async () => {
    withSfdc = await startEmulator({ seed: { leadFields: [...defaultSeed.leadFields, ...sfdc] } });
  });
  afterEach(async () => {
    await withSfdc.close();
  });

  test('every matching key of every operation is a property of its json_schema, read-only lookup fields included', async () => {
    const config = tempJson(emulatorConfig(withSfdc), 'config.json');
    const result = withMessages(await runCli(['discover', '--config', config]));
    expect(result.code).toBe(0);
    const operations = (result.messages.find((m) => m.type === 'DESTINATION_CATALOG')!.destination_catalog as { operations: Json[] }).operations;
    expect(operations.length).toBe(5);
    for (const operation of operations) {
      const properties = Object.keys((operation.json_schema as { properties: Json }).properties);
      for (const key of operation.matching_keys as string[][]) expect(properties).toEqual(expect.arrayContaining(key));
    }
    const upsert = operations[0]!;
    expect(upsert.matching_keys).toEqual(expect.arrayContaining([['sfdcLeadId'], ['sfdcContactId'], ['sfdcAccountId']]));
    // Still only the key: other read-only fields stay out.
    expect((upsert.json_schema as { properties: Json }).properties).not.toHaveProperty('createdAt');
  });

  test('a read-only lookup field chosen as the key is sent as lookupField', async () => {
    const f = fixture([activated('people', 'leads', 'append_dedup', [['sfdcLeadId']], { sfdcLeadId: 'string', email: 'string' })], [
      rec('people', { sfdcLeadId: '00Q1', email: 'k@example.com' }),
      // Without its key value the row fails in Marketo, which shows that sfdcLeadId, not email, was the lookupField.
      rec('people', { email: 'm@example.com' }),
      state('people', 1),
    ]);
    const result = await runWrite(withSfdc, f);
    expect(result.traces).toEqual([]);
    expect(result.states).toEqual(expectedStates(f.messages, { 1: 1 }));
    expect(result.logs.some((l) => l.message.includes("Value for lookup field 'sfdcLeadId' not found"))).toBe(true);
    expect(withSfdc.store.leads().map((l) => l.email)).toEqual(['k@example.com']);
  });
});

describe('write driven by destination_object_name', () => {
  test('lands in all three objects with the chosen keys, no stream_mappings needed', async () => {
    const streams = [
      activated('people', 'leads', 'append_dedup', [['loyaltyId']], { loyaltyId: 'string', email: 'string', firstName: 'string' }),
      activated('autos', 'custom_object:car_c', 'append_dedup', [['vin']], { vin: 'string', make: 'string', year: 'number' }),
      activated('members', 'program_members', 'append_dedup', [['email', 'programId']], {
        email: 'string', programId: 'integer', programMemberStatus: 'string', registrationCode: 'string',
      }),
    ];
    const messages = [
      rec('people', { loyaltyId: 'L1', email: 'old@example.com', firstName: 'Ann' }),
      rec('autos', { vin: 'V1', make: 'vw', year: 2001 }),
      rec('members', { email: 'a@example.com', programId: 1001, programMemberStatus: 'Registered', registrationCode: 'R1' }),
      rec('members', { email: 'b@example.com', programId: 1001, programMemberStatus: 'Attended', registrationCode: 'R2' }),
      rec('members', { email: 'c@example.com', programId: 1002, programMemberStatus: 'Member' }),
      rec('members', { email: 'd@example.com', programId: '1002', programMemberStatus: 'Subscribed' }),
      state('members', 1),
      // Same loyaltyId, new email: with lookupField=loyaltyId this updates the lead instead of creating one.
      rec('people', { loyaltyId: 'L1', email: 'new@example.com', firstName: 'Ann' }),
      rec('people', { loyaltyId: 'L2', email: 'two@example.com', firstName: 'Bob' }),
      state('people', 2),
    ];
    const f = fixture(streams, messages);
    const result = await runWrite(emulator, f);
    expect(result.traces).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.states).toEqual(expectedStates(f.messages));
    const leads = emulator.store.leads();
    expect(leads.filter((l) => l.loyaltyId === 'L1').map((l) => l.email)).toEqual(['new@example.com']);
    expect(emulator.store.customObjects('car_c')).toEqual([expect.objectContaining({ vin: 'V1', make: 'vw', year: 2001 })]);
    const members = (id: number) => emulator.store.programMembers(id).map((m) => [m.email, m.statusName]).sort();
    expect(members(1001)).toEqual([['a@example.com', 'Registered'], ['b@example.com', 'Attended']]);
    expect(members(1002)).toEqual([['c@example.com', 'Member'], ['d@example.com', 'Subscribed']]);
    // Four (program, status) groups, four program member jobs.
    expect(emulator.jobs().filter((j) => j.object === 'programMembers')).toHaveLength(4);
  });

  test('a truncating refresh is warned about, since bulk import cannot delete, and upserts as usual', async () => {
    const stream = { ...activated('people', 'leads', 'append_dedup', [['email']], { email: 'string' }), generation_id: 3, minimum_generation_id: 3 };
    const result = await runWrite(emulator, fixture([stream], [rec('people', { email: 'g@example.com' })]));
    expect(result.code).toBe(0);
    expect(result.logs.filter((l) => l.level === 'WARN' && l.message.includes('cannot delete records'))).toHaveLength(1);
    expect(emulator.store.leads().map((l) => l.email)).toEqual(['g@example.com']);
  });

  test('update mode matches leads on id', async () => {
    const seed = fixture([activated('people', 'leads', 'append_dedup', [['email']], { email: 'string', firstName: 'string' })], [
      rec('people', { email: 'x@example.com', firstName: 'Before' }),
    ]);
    expect((await runWrite(emulator, seed)).code).toBe(0);
    const id = emulator.store.leads()[0]!.id;
    const update = fixture([activated('people', 'leads', 'update', [['id']], { id: 'integer', firstName: 'string' })], [
      rec('people', { id, firstName: 'After' }),
      state('people', 1),
    ]);
    const result = await runWrite(emulator, update);
    expect(result.code).toBe(0);
    expect(emulator.store.leads()).toEqual([expect.objectContaining({ id, email: 'x@example.com', firstName: 'After' })]);
  });

  test('values that cannot be converted are rejected locally, with exact counts, and cost no import', async () => {
    const streams = [activated('people', 'leads', 'append_dedup', [['email']], { email: 'string', leadScore: 'number', birthDate: 'string', unsubscribed: 'string' })];
    const messages = [
      rec('people', { email: 'ok@example.com', leadScore: 10, birthDate: '1990-05-01', unsubscribed: 'true' }),
      rec('people', { email: 'dec@example.com', leadScore: 10.5 }),
      rec('people', { email: 'date@example.com', birthDate: 'next tuesday' }),
      rec('people', { email: 'bool@example.com', unsubscribed: 'maybe' }),
      state('people', 1),
    ];
    const f = fixture(streams, messages);
    const result = await runWrite(emulator, f);
    expect(result.code).toBe(0);
    expect(result.states).toEqual(expectedStates(f.messages, { 1: 3 }));
    expect(emulator.store.leads()).toEqual([expect.objectContaining({ email: 'ok@example.com', leadScore: 10, birthDate: '1990-05-01', unsubscribed: true })]);
    const warnings = result.logs.filter((l) => l.level === 'WARN').map((l) => l.message).join('\n');
    for (const field of ['leadScore', 'birthDate', 'unsubscribed']) expect(warnings).toContain(`Invalid data type in field ${field}`);
    // Only the valid row was sent.
    expect(emulator.jobs().map((j) => j.rows)).toEqual([1]);
  });

  test('a status that cannot be imported ("Not in Program", step 0) rejects its rows locally; no job is sent for it', async () => {
    const streams = [activated('members', 'program_members', 'append_dedup', [['email', 'programId']], { email: 'string', programId: 'integer', programMemberStatus: 'string' })];
    const f = fixture(streams, [
      rec('members', { email: 'a@example.com', programId: 1001, programMemberStatus: 'Invited' }),
      rec('members', { email: 'b@example.com', programId: 1001, programMemberStatus: 'Not in Program' }),
      state('members', 1),
    ]);
    const result = await runWrite(emulator, f);
    expect(result.code).toBe(0);
    expect(result.states).toEqual(expectedStates(f.messages, { 1: 1 }));
    expect(result.logs.some((l) => l.level === 'WARN' && l.message.includes('"Not in Program" cannot be imported into program 1001'))).toBe(true);
    expect(emulator.jobs().map((j) => j.status)).toEqual(['Complete']);
    expect(emulator.store.programMembers(1001).map((m) => m.email)).toEqual(['a@example.com']);
  });

  test('program member rows for an unknown program or status are rejected, the rest land', async () => {
    // The key as paths of one field each, the ordinary primary_key form.
    const streams = [activated('members', 'program_members', 'append_dedup', [['email'], ['programId']], { email: 'string', programId: 'integer', programMemberStatus: 'string' })];
    const f = fixture(streams, [
      rec('members', { email: 'a@example.com', programId: 1001, programMemberStatus: 'Invited' }),
      rec('members', { email: 'b@example.com', programId: 9999, programMemberStatus: 'Invited' }),
      rec('members', { email: 'c@example.com', programId: 1001, programMemberStatus: 'Bogus' }),
      rec('members', { email: 'd@example.com', programMemberStatus: 'Invited' }),
      state('members', 1),
    ]);
    const result = await runWrite(emulator, f);
    expect(result.code).toBe(0);
    expect(result.states).toEqual(expectedStates(f.messages, { 1: 3 }));
    expect(emulator.store.programMembers(1001).map((m) => m.email)).toEqual(['a@example.com']);
  });

  test.each([
    ['an unknown object', activated('s', 'opportunities', 'append_dedup', [['id']], { id: 'string' }), 'unknown object'],
    ['an unsupported mode', activated('s', 'leads', 'overwrite', [['email']], { email: 'string' }), 'sync mode "overwrite"'],
    ['a key that is not a lookup field', activated('s', 'leads', 'append_dedup', [['firstName']], { email: 'string', firstName: 'string' }), 'lookup_field "firstName"'],
    ['a key that is not the dedupe key', activated('s', 'custom_object:car_c', 'append_dedup', [['make']], { vin: 'string', make: 'string' }), 'not the dedupe key'],
    ['an unknown column', activated('s', 'leads', 'append_dedup', [['email']], { email: 'string', shoeSize: 'integer' }), '"shoeSize"'],
    ['a column named as in the source', activated('s', 'leads', 'append_dedup', [['email']], { email: 'string', first_name: 'string', compnay: 'string' }), '"first_name" (did you mean "firstName"?), "compnay" (did you mean "company"?)'],
    ['a missing program column', activated('s', 'program_members', 'append_dedup', [['email', 'programId']], { email: 'string', programId: 'integer' }), '"programMemberStatus"'],
  ])('%s is a config_error that names it', async (_, stream, text) => {
    const result = await runWrite(emulator, fixture([stream], [rec('s', {})]));
    expect(result.code).toBe(1);
    expect(result.traces).toHaveLength(1);
    const error = result.traces[0]!.error as { failure_type: string; message: string };
    expect(error.failure_type).toBe('config_error');
    expect(error.message).toContain(text);
    expect(emulator.jobs()).toEqual([]);
  });

  test('destination_object_name wins over a stream mapping for the same stream', async () => {
    const f = fixture([activated('people', 'custom_object:car_c', 'append_dedup', [['vin']], { vin: 'string' })], [rec('people', { vin: 'V9' })]);
    f.config = { stream_mappings: [{ stream: 'people', object: { type: 'leads' } }] };
    const result = await runWrite(emulator, f);
    expect(result.code).toBe(0);
    expect(emulator.store.customObjects('car_c').map((c) => c.vin)).toEqual(['V9']);
    expect(emulator.store.leads()).toEqual([]);
  });
});
