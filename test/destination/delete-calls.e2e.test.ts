import { afterEach, beforeEach, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { getToken, upload } from '../emulator/helpers.js';
import { ndjson } from '../helpers/cli.js';
import { requestsTo, runWrite } from '../helpers/sync.js';

// The quota deletions cost: Marketo calls per 1,000 deletions, for each object and kind of key. One call per 300
// records, plus one lookup per 300 values where the key is not an id. (Identity and describe calls, made once per
// sync, are not counted.)

const N = 1000;
let emulator: Emulator;
let guids: string[];

beforeEach(async () => {
  emulator = await startEmulator();
  const token = await getToken(emulator);
  const lines = (make: (i: number) => string) => Array.from({ length: N }, (_, i) => make(i)).join('\n');
  await upload(emulator, '/bulk/v1/leads.json?listId=7', { token, csv: `email\n${lines((i) => `p${i}@x.co`)}\n` });
  await upload(emulator, '/bulk/v1/program/1001/members/import.json?programMemberStatus=Registered', { token, csv: `email\n${lines((i) => `p${i}@x.co`)}\n` });
  await upload(emulator, '/bulk/v1/customobjects/car_c/import.json', { token, csv: `vin\n${lines((i) => `V${i}`)}\n` });
  guids = emulator.store.customObjects('car_c', { limit: N }).map((c) => c.marketoGUID as string);
});
afterEach(async () => {
  await emulator.close();
});

type Json = Record<string, unknown>;
const rec = (data: Json): Json => ({ type: 'RECORD', record: { stream: 'gone', data, emitted_at: 1 } });
const catalogOf = (field: string, extra: Json = {}) => ({
  streams: [
    {
      stream: { name: 'gone', json_schema: { type: 'object', properties: { [field]: { type: 'string' }, ...extra } }, supported_sync_modes: ['incremental'] },
      sync_mode: 'incremental',
      destination_sync_mode: 'append_dedup',
    },
  ],
});

const cases: { name: string; object: Json; field: string; value: (i: number) => string | number; calls: { delete: number; lookup: number }; cdc?: string }[] = [
  { name: 'leads by id', object: { type: 'leads', lookup_field: 'id' }, field: 'id', value: (i) => i + 1, calls: { delete: 4, lookup: 0 } },
  { name: 'leads by email', object: { type: 'leads', lookup_field: 'email' }, field: 'email', value: (i) => `p${i}@x.co`, calls: { delete: 4, lookup: 4 } },
  {
    name: 'leads removed from a list by email (CDC)',
    object: { type: 'leads', lookup_field: 'email', list_id: 7 },
    field: 'email',
    value: (i) => `p${i}@x.co`,
    calls: { delete: 4, lookup: 4 },
    cdc: 'remove_from_list',
  },
  { name: 'custom objects by dedupe fields', object: { type: 'custom_object', api_name: 'car_c' }, field: 'vin', value: (i) => `V${i}`, calls: { delete: 4, lookup: 0 } },
  { name: 'custom objects by marketoGUID', object: { type: 'custom_object', api_name: 'car_c' }, field: 'marketoGUID', value: (i) => guids[i]!, calls: { delete: 4, lookup: 0 } },
  {
    name: 'program members by email',
    object: { type: 'program_members', program_id: 1001, program_member_status: 'Registered' },
    field: 'email',
    value: (i) => `p${i}@x.co`,
    calls: { delete: 4, lookup: 4 },
  },
  {
    name: 'program members by leadId',
    object: { type: 'program_members', program_id: 1001, program_member_status: 'Registered' },
    field: 'leadId',
    value: (i) => i + 1,
    calls: { delete: 4, lookup: 0 },
  },
];

test.each(cases)('1,000 deletions of $name cost $calls.delete delete and $calls.lookup lookup calls', async ({ object, field, value, calls, cdc }) => {
  const before = { delete: requestsTo(emulator, /\/delete\.json$|^\/rest\/v1\/lists\//), lookup: requestsTo(emulator, /^\/rest\/v1\/leads\.json$/) };
  const records = Array.from({ length: N }, (_, i) => rec(cdc ? { [field]: value(i), _ab_cdc_deleted_at: '2026-01-05T10:00:00Z' } : { [field]: value(i) }));
  const config = cdc
    ? { cdc_deletes: cdc, stream_mappings: [{ stream: 'gone', object }] }
    : { stream_mappings: [{ stream: 'gone', action: 'delete', object }] };
  const catalog = catalogOf(field, cdc ? { _ab_cdc_deleted_at: { type: ['null', 'string'] } } : {});
  const result = await runWrite(emulator, { config, catalog, messages: ndjson(records) });
  expect(result.traces, result.stderr).toEqual([]);
  expect(result.code).toBe(0);
  const used = {
    delete: requestsTo(emulator, /\/delete\.json$|^\/rest\/v1\/lists\//) - before.delete,
    lookup: requestsTo(emulator, /^\/rest\/v1\/leads\.json$/) - before.lookup,
  };
  expect(used).toEqual(calls);
  const summary = result.logs.find((l) => l.message.startsWith('Sync summary'))!.message;
  expect(summary).toContain(`${N} deleted (${calls.delete} delete calls, ${calls.lookup} lookup calls)`);
  // Every one of them is gone.
  const counts = emulator.store.counts();
  if (cdc) expect(emulator.store.listMembers(7)).toEqual([]);
  else expect(counts.leads + counts.programMembers + (counts.customObjects.car_c ?? 0)).toBe(3 * N - N - (object.type === 'leads' ? N : 0));
});
