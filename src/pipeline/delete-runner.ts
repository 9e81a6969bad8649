import type { EncodedDeletion } from '../encoding/deletion-encoder.js';
import type { ImportTarget } from '../marketo/bulk-import.js';
import { DeleteApi, isAbsent, isApplied, lookupKey, RECORDS_PER_CALL, type DeleteCall, type RecordResult } from '../marketo/deletes.js';
import type { Interval } from './checkpoints.js';
import type { StreamDeletes } from './stream-target.js';

/** A deletion on its way to Marketo, with the interval (for state accounting) it belongs to. */
export interface PendingDeletion extends Pick<EncodedDeletion, 'key' | 'programId' | 'hash' | 'lookup' | 'emittedAt'> {
  interval: Interval;
}

/** What became of one deletion: done (deleted, removed), already absent, or rejected with Marketo's reason. */
export type DeletionOutcome = { kind: 'done' } | { kind: 'absent' } | { kind: 'rejected'; reason: string };

/** Deletions of one stream that go to Marketo together: at most 300, one program for program members. */
export interface DeleteBatch {
  stream: string;
  streamKey: string;
  target: ImportTarget;
  targetKey: string;
  deletes: StreamDeletes;
  programId?: string;
  records: PendingDeletion[];
  /** Sorted hashes of the records' keys, to keep them apart from imports of the same keys. */
  keys: Float64Array;
}

export interface CallCounts {
  deleteCalls: number;
  lookupCalls: number;
}

const DONE: DeletionOutcome = { kind: 'done' };
const ABSENT: DeletionOutcome = { kind: 'absent' };

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += RECORDS_PER_CALL) out.push(items.slice(i, i + RECORDS_PER_CALL));
  return out;
}

function reasonOf(result: RecordResult): string {
  return result.reason ? `${result.reason.message} (${result.reason.code})` : `status ${result.status}`;
}

/** One record's outcome from the results of the Marketo records it stands for (several leads may share an email). */
function combine(results: RecordResult[]): DeletionOutcome {
  const failed = results.find((r) => !isApplied(r) && !isAbsent(r));
  if (failed) return { kind: 'rejected', reason: reasonOf(failed) };
  return results.some(isApplied) ? DONE : ABSENT;
}

/** Runs delete batches: looks up lead ids where the key is not an id, then one delete call per 300 records. */
export class DeleteRunner {
  constructor(
    private readonly api: DeleteApi,
    readonly counts: CallCounts,
  ) {}

  async run(batch: DeleteBatch): Promise<DeletionOutcome[]> {
    const { target, deletes } = batch;
    const field = deletes.key![0]!;
    switch (target.kind) {
      case 'leads': {
        const call: DeleteCall = deletes.effect === 'remove_from_list' ? { kind: 'list', listId: target.listId! } : { kind: 'leads' };
        return this.byLeadId(batch.records, field, call, (id) => ({ id }));
      }
      case 'program_members': {
        const programId = batch.programId ?? target.programId;
        const call: DeleteCall = { kind: 'program_members', programId };
        return this.byLeadId(batch.records, field === 'email' ? 'email' : 'id', call, (leadId) => ({ leadId }));
      }
      case 'custom_object': {
        const key = deletes.key!;
        const byId = key.length === 1 && key[0] === 'marketoGUID';
        const call: DeleteCall = { kind: 'custom_object', apiName: target.apiName, deleteBy: byId ? 'idField' : 'dedupeFields' };
        const outcomes: DeletionOutcome[] = [];
        for (const part of chunks(batch.records)) {
          const input = part.map((r) => Object.fromEntries(key.map((name, i) => [name, r.key[i]])));
          this.counts.deleteCalls++;
          const results = await this.api.delete(call, input);
          outcomes.push(...results.map((result) => combine([result])));
        }
        return outcomes;
      }
    }
  }

  /** Deletes the leads (or their memberships, or list entries) each record names, by id or through a lookup. */
  private async byLeadId(
    records: PendingDeletion[],
    field: string,
    call: DeleteCall,
    input: (id: number) => Record<string, unknown>,
  ): Promise<DeletionOutcome[]> {
    const idsOf = await this.leadIds(records, field);
    const distinct = [...new Set(idsOf.flatMap((ids) => (Array.isArray(ids) ? ids : [])))];
    const results = new Map<number, RecordResult>();
    for (const part of chunks(distinct)) {
      this.counts.deleteCalls++;
      const answered = await this.api.delete(call, part.map(input));
      part.forEach((id, i) => results.set(id, answered[i]!));
    }
    return idsOf.map((ids) => (Array.isArray(ids) ? (ids.length === 0 ? ABSENT : combine(ids.map((id) => results.get(id)!))) : ids));
  }

  /** Each record's lead ids (none: no such lead), or why it cannot be looked up. */
  private async leadIds(records: PendingDeletion[], field: string): Promise<(number[] | DeletionOutcome)[]> {
    if (field === 'id') {
      return records.map((r) => (/^\d+$/.test(r.key[0]!) ? [Number(r.key[0])] : { kind: 'rejected', reason: `Invalid lead id '${r.key[0]!}'` }));
    }
    // Marketo's filterValues are comma-separated: a value with a comma cannot be looked up.
    const searchable = (value: string): boolean => !value.includes(',');
    const values = [...new Set(records.map((r) => r.key[0]!).filter(searchable))];
    const found = new Map<string, number[]>();
    for (const part of chunks(values)) {
      this.counts.lookupCalls++;
      for (const [key, ids] of await this.api.findLeads(field, part)) found.set(key, ids);
    }
    return records.map((r) => {
      const value = r.key[0]!;
      if (!searchable(value)) return { kind: 'rejected', reason: `the ${field} contains a comma, which Marketo's lead lookup cannot search for` };
      return found.get(lookupKey(value)) ?? [];
    });
  }
}
