import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator, type RequestEntry } from '../../src/emulator/index.js';
import { ndjson } from '../helpers/cli.js';
import { testTempDir } from '../helpers/temp-dir.js';
import { expectedStates, runWrite, type Fixture } from '../helpers/sync.js';

// A CDC source (Postgres, MySQL, SQL Server) sends inserts, updates and deletions of the same keys; a deletion is a
// record whose _ab_cdc_deleted_at is set. cdc_deletes decides what becomes of it.

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await emulator.close();
});

type Json = Record<string, unknown>;
const AT = '2026-01-05T10:00:00Z';
const row = (email: string, firstName: string | null, deleted = false): Json => ({
  type: 'RECORD',
  record: { stream: 'people', emitted_at: 1, data: { email, firstName, _ab_cdc_lsn: 42, _ab_cdc_updated_at: AT, _ab_cdc_deleted_at: deleted ? AT : null } },
});
const state = (id: number): Json => ({ type: 'STATE', state: { type: 'STREAM', id, stream: { stream_descriptor: { name: 'people' }, stream_state: { lsn: id } } } });

/** Inserts, an update, deletions, and a key inserted again after its deletion: the last record of each key wins. */
const messages = [
  row('a@x.co', 'Ann'),
  row('b@x.co', 'Bo'),
  row('c@x.co', 'Cy'),
  state(1),
  row('a@x.co', 'Anna'),
  row('b@x.co', null, true),
  row('d@x.co', 'Di'),
  row('a@x.co', null, true),
  state(2),
  row('b@x.co', 'Bob'),
  row('e@x.co', null, true),
  state(3),
];

const catalog = {
  streams: [
    {
      stream: {
        name: 'people',
        json_schema: {
          type: 'object',
          properties: {
            email: { type: 'string' },
            firstName: { type: ['null', 'string'] },
            _ab_cdc_lsn: { type: 'integer' },
            _ab_cdc_updated_at: { type: 'string' },
            _ab_cdc_deleted_at: { type: ['null', 'string'] },
          },
        },
        supported_sync_modes: ['incremental'],
      },
      sync_mode: 'incremental',
      destination_sync_mode: 'append_dedup',
    },
  ],
};

function fixture(cdcDeletes: string, leads: Json = { type: 'leads', lookup_field: 'email', list_id: 7 }): Fixture {
  return { config: { cdc_deletes: cdcDeletes, stream_mappings: [{ stream: 'people', object: leads }] }, catalog, messages: ndjson(messages) };
}

const names = () => Object.fromEntries(emulator.store.leads().map((l) => [l.email, l.firstName]));
const listEmails = (listId: number) => {
  const ids = new Set(emulator.store.listMembers(listId));
  return emulator.store.leads().filter((l) => ids.has(l.id as number)).map((l) => l.email).sort();
};
/** Lead and list calls in the order they reached Marketo: uploads, deletes, lookups, list removals. */
const calls = () =>
  emulator.timeline.flatMap((e) => (e.kind === 'request' && !e.path.startsWith('/identity') && !/describe|batch|status/.test(e.path) ? [`${e.method} ${e.path}`] : []));

describe('CDC deletions', () => {
  test('ignore (the default): nothing is deleted, each deletion is a rejected row with the documented reason, and _ab_cdc_* are never columns', async () => {
    const result = await runWrite(emulator, fixture('ignore'));
    expect(result.traces).toEqual([]);
    expect(result.code).toBe(0);
    expect(names()).toEqual({ 'a@x.co': 'Anna', 'b@x.co': 'Bob', 'c@x.co': 'Cy', 'd@x.co': 'Di' });
    expect(result.states).toEqual(expectedStates(ndjson(messages), { 2: 2, 3: 1 }));
    const rejected = result.logs.filter((l) => l.message.includes('deletion not applied (cdc_deletes is ignore)'));
    expect(rejected.map((l) => l.message)).toEqual([
      'Stream "people": row "b@x.co" rejected: deletion not applied (cdc_deletes is ignore)',
      'Stream "people": row "a@x.co" rejected: deletion not applied (cdc_deletes is ignore)',
      'Stream "people": row "e@x.co" rejected: deletion not applied (cdc_deletes is ignore)',
    ]);
    // No unknown-field warning and no delete call: the CDC columns are metadata.
    expect(result.logs.some((l) => l.message.includes('_ab_cdc'))).toBe(false);
    expect(calls().some((c) => c.includes('/rest/v1/'))).toBe(false);
  });

  test('ignore with rejected-record storage: each deletion not applied is stored as received, with its reason', async () => {
    const folder = testTempDir('dmb-cdc-rejects-');
    const storage = { object_storage_config: { storage_type: 'Local', path: folder, format: { format_type: 'JSONL' } } };
    const result = await runWrite(emulator, fixture('ignore'), { config: storage });
    expect(result.traces).toEqual([]);
    expect(result.states).toEqual(expectedStates(ndjson(messages), { 2: 2, 3: 1 }));
    const stored = readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .flatMap((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8').trim().split('\n'))
      .map((line) => JSON.parse(line) as { _airbyte_data: Json; _airbyte_meta: { rejection: Json } });
    expect(stored.map((r) => [r._airbyte_data, r._airbyte_meta.rejection])).toEqual(
      ['b@x.co', 'a@x.co', 'e@x.co'].map((email) => [
        { email, firstName: null, _ab_cdc_lsn: 42, _ab_cdc_updated_at: AT, _ab_cdc_deleted_at: AT },
        { reason: 'deletion not applied (cdc_deletes is ignore)', rejected_by: 'connector' },
      ]),
    );
  });

  test.each([0, 2])('delete (%i encoder threads): deleted keys leave Marketo, a key inserted after its deletion comes back, an absent one counts as written', async (threads) => {
    const result = await runWrite(emulator, fixture('delete'), { config: { cdc_deletes: 'delete', batching: { encoder_threads: threads } } });
    expect(result.traces).toEqual([]);
    expect(result.code).toBe(0);
    expect(names()).toEqual({ 'b@x.co': 'Bob', 'c@x.co': 'Cy', 'd@x.co': 'Di' });
    expect(result.states).toEqual(expectedStates(ndjson(messages)));
    // Input order held: the import with a, b and c, then the lookup and deletion of b and a, then the import that
    // brings b back. The lookup of e (found nothing, so no delete call) shares no key and may run at any time.
    expect(calls().filter((c) => c !== 'GET /rest/v1/leads.json')).toEqual(['POST /bulk/v1/leads.json', 'POST /rest/v1/leads/delete.json', 'POST /bulk/v1/leads.json']);
    expect(calls().indexOf('GET /rest/v1/leads.json')).toBe(1);
    expect(calls().filter((c) => c === 'GET /rest/v1/leads.json')).toHaveLength(2);
    expect(result.logs.map((l) => l.message)).toContain('Stream "people": 1 deletion(s) found nothing to delete in Marketo (already absent); counted as written');
    const summary = result.logs.find((l) => l.message.startsWith('Sync summary'))!.message;
    expect(summary).toContain('3 deleted (1 delete calls, 2 lookup calls)');
  });

  test('with slow imports, a deletion waits for the earlier import of its key to complete, and the later import for the deletion', async () => {
    emulator.configure({ jobLatencyMs: 300 });
    const result = await runWrite(emulator, fixture('delete'));
    expect(result.code).toBe(0);
    expect(names()).toEqual({ 'b@x.co': 'Bob', 'c@x.co': 'Cy', 'd@x.co': 'Di' });
    const timeline = emulator.timeline;
    const request = (method: string, path: string) =>
      timeline.filter((e): e is RequestEntry => e.kind === 'request' && e.method === method && e.path === path);
    const [firstUpload, secondUpload] = request('POST', '/bulk/v1/leads.json');
    const [deletion] = request('POST', '/rest/v1/leads/delete.json');
    const firstJobDone = timeline.find((e) => e.kind === 'job' && e.event === 'completed' && e.batchId === firstUpload!.batchId)!;
    expect(deletion!.at).toBeGreaterThanOrEqual(firstJobDone.at);
    expect(secondUpload!.at).toBeGreaterThanOrEqual(deletion!.endedAt!);
  });

  test('remove_from_list: removed leads leave the list and stay in Marketo; a later insert puts the lead back in the list', async () => {
    const result = await runWrite(emulator, fixture('remove_from_list'));
    expect(result.traces).toEqual([]);
    expect(result.code).toBe(0);
    expect(names()).toEqual({ 'a@x.co': 'Anna', 'b@x.co': 'Bob', 'c@x.co': 'Cy', 'd@x.co': 'Di' });
    expect(listEmails(7)).toEqual(['b@x.co', 'c@x.co', 'd@x.co']);
    expect(result.states).toEqual(expectedStates(ndjson(messages)));
    expect(calls().filter((c) => c.startsWith('DELETE'))).toEqual(['DELETE /rest/v1/lists/7/leads.json']);
  });

  test('remove_from_list on a CDC stream of leads without list_id is a config error before any call', async () => {
    const result = await runWrite(emulator, fixture('remove_from_list', { type: 'leads', lookup_field: 'email' }));
    expect(result.code).toBe(1);
    expect(result.traces).toEqual([
      expect.objectContaining({
        type: 'ERROR',
        error: expect.objectContaining({
          failure_type: 'config_error',
          message: expect.stringContaining('cdc_deletes "remove_from_list" applies only to leads mapped with list_id'),
        }),
      }),
    ]);
    expect(calls()).toEqual([]);
  });
});
