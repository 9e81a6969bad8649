import { describe, expect, test } from 'vitest';
import type { DeleteApi, DeleteCall, RecordResult } from '../../src/marketo/deletes.js';
import { Interval } from '../../src/pipeline/checkpoints.js';
import { DeleteRunner, type DeleteBatch } from '../../src/pipeline/delete-runner.js';

/** Marketo as a table of answers: lead ids by email, and the result each id gets. */
function fakeApi(leads: Record<string, number[]>, answer: (id: number) => RecordResult) {
  const calls: { call: DeleteCall | 'lookup'; size: number }[] = [];
  const api = {
    findLeads: async (_field: string, values: string[]) => {
      calls.push({ call: 'lookup', size: values.length });
      return new Map(values.filter((v) => leads[v]).map((v) => [v, leads[v]!]));
    },
    delete: async (call: DeleteCall, input: Record<string, unknown>[]) => {
      calls.push({ call, size: input.length });
      return input.map((record) => answer((record.id ?? record.leadId) as number));
    },
  };
  return { api: api as unknown as DeleteApi, calls };
}

function batch(emails: string[]): DeleteBatch {
  const interval = new Interval();
  return {
    stream: 's',
    streamKey: 's',
    target: { kind: 'leads', lookupField: 'email' },
    targetKey: 'leads',
    deletes: { records: 'every', effect: 'delete', key: ['email'] },
    records: emails.map((email) => ({ key: [email], hash: 0, lookup: email, emittedAt: 1, interval })),
    keys: new Float64Array(),
  };
}

describe('DeleteRunner', () => {
  test('a record stands for every lead its key finds: done if any was deleted, absent if none exists, rejected with Marketo’s reason if one failed', async () => {
    const denied: RecordResult = { status: 'skipped', reason: { code: '1008', message: 'Access denied to partition' } };
    const { api, calls } = fakeApi({ 'a@x.co': [1, 2], 'b@x.co': [3], 'c@x.co': [4, 5] }, (id) =>
      id === 2 ? { status: 'skipped', reason: { code: '1004', message: 'Lead not found' } } : id === 5 ? denied : { status: 'deleted' },
    );
    const runner = new DeleteRunner(api, { deleteCalls: 0, lookupCalls: 0 });
    const outcomes = await runner.run(batch(['a@x.co', 'b@x.co', 'nobody@x.co', 'c@x.co', 'x,y@x.co']));
    expect(outcomes).toEqual([
      { kind: 'done' },
      { kind: 'done' },
      { kind: 'absent' },
      { kind: 'rejected', reason: 'Access denied to partition (1008)' },
      { kind: 'rejected', reason: "the email contains a comma, which Marketo's lead lookup cannot search for" },
    ]);
    expect(calls).toEqual([
      { call: 'lookup', size: 4 },
      { call: { kind: 'leads' }, size: 5 },
    ]);
    expect(runner.counts).toEqual({ deleteCalls: 1, lookupCalls: 1 });
  });

  test('more than 300 lead ids (several leads share an email) take one more delete call', async () => {
    const leads = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}@x.co`, [2 * i, 2 * i + 1]]));
    const { api, calls } = fakeApi(leads, () => ({ status: 'deleted' }));
    const runner = new DeleteRunner(api, { deleteCalls: 0, lookupCalls: 0 });
    const outcomes = await runner.run(batch(Object.keys(leads)));
    expect(outcomes.every((o) => o.kind === 'done')).toBe(true);
    expect(calls.map((c) => c.size)).toEqual([200, 300, 100]);
  });
});
