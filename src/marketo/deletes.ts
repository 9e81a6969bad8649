import { z } from 'zod';
import type { MarketoClient } from './client.js';

/** Every delete, list and lookup call takes at most this many records or values. */
export const RECORDS_PER_CALL = 300;

/** Past this many characters a lookup goes as a form body (`POST ?_method=GET`): Marketo refuses URLs over 8 KB. */
const MAX_QUERY_CHARS = 7000;

/** Which REST delete call a batch goes to. */
export type DeleteCall =
  | { kind: 'leads' }
  | { kind: 'list'; listId: number }
  | { kind: 'custom_object'; apiName: string; deleteBy: 'dedupeFields' | 'idField' }
  | { kind: 'program_members'; programId: string };

export interface Reason {
  code: string;
  message: string;
}

/** Marketo's answer for one record: `deleted`, `removed`, or `skipped` with a reason. */
export interface RecordResult {
  status: string;
  reason?: Reason;
}

const ReasonSchema = z.looseObject({
  code: z.union([z.string(), z.number()]).transform(String),
  message: z.string().default(''),
});
const ResultRow = z.looseObject({
  id: z.number().optional(),
  leadId: z.number().optional(),
  seq: z.number().int().optional(),
  status: z.string(),
  reasons: z.array(ReasonSchema).optional(),
});
const DeleteResponse = z.looseObject({ result: z.array(ResultRow).default([]) });
const LookupResponse = z.looseObject({
  result: z.array(z.looseObject({ id: z.number().int() })).default([]),
  nextPageToken: z.string().optional(),
  moreResult: z.boolean().optional(),
});

/**
 * Codes of "this record is not there" (1004 lead not found, 1013 object not found, 1015 not in list): a delete of it
 * has nothing left to do. Decided on the code alone; the messages' wording is not relied on.
 */
const ABSENT_CODES = new Set(['1004', '1013', '1015']);

/** A record already absent (deleted earlier, never created, not a member): the deletion holds. */
export function isAbsent(result: RecordResult): boolean {
  return result.status === 'skipped' && result.reason !== undefined && ABSENT_CODES.has(result.reason.code);
}

export function isApplied(result: RecordResult): boolean {
  return result.status === 'deleted' || result.status === 'removed';
}

function path(call: DeleteCall): { method: 'POST' | 'DELETE'; path: string } {
  switch (call.kind) {
    case 'leads':
      return { method: 'POST', path: '/rest/v1/leads/delete.json' };
    case 'list':
      return { method: 'DELETE', path: `/rest/v1/lists/${call.listId}/leads.json` };
    case 'custom_object':
      return { method: 'POST', path: `/rest/v1/customobjects/${encodeURIComponent(call.apiName)}/delete.json` };
    case 'program_members':
      return { method: 'POST', path: `/rest/v1/programs/${encodeURIComponent(call.programId)}/members/delete.json` };
  }
}

/** How lookup values and the values Marketo returns are compared: emails ignore case, integers their form. */
export function lookupKey(value: unknown): string {
  const text = String(value);
  return /^[+-]?\d+$/.test(text) ? String(Number(text)) : text.toLowerCase();
}

/** Marketo's REST delete calls and the lead lookup that finds the ids behind other key fields. */
export class DeleteApi {
  constructor(private readonly client: MarketoClient) {}

  /** One call for up to 300 records; one result per input record, in input order. */
  async delete(call: DeleteCall, input: Record<string, unknown>[]): Promise<RecordResult[]> {
    if (input.length > RECORDS_PER_CALL) throw new RangeError(`At most ${RECORDS_PER_CALL} records a delete call`);
    const { method, path: p } = path(call);
    const json = call.kind === 'custom_object' ? { deleteBy: call.deleteBy, input } : { input };
    const response = await this.client.call({ method, path: p, body: { json }, schema: DeleteResponse });
    const rows = response.result;
    // Lead and list results carry the id; the others carry seq, the position in the input.
    const bySeq = new Map(rows.filter((r) => r.seq !== undefined).map((r) => [r.seq!, r]));
    const byId = new Map(rows.filter((r) => r.id !== undefined).map((r) => [r.id!, r]));
    return input.map((record, i) => {
      const row = bySeq.get(i) ?? (typeof record.id === 'number' ? byId.get(record.id) : undefined) ?? (bySeq.size === 0 && byId.size === 0 ? rows[i] : undefined);
      if (!row) return { status: 'skipped', reason: { code: 'missing', message: `Marketo ${p} returned no result for record ${i + 1}` } };
      const reason = row.reasons?.[0];
      return reason ? { status: row.status, reason } : { status: row.status };
    });
  }

  /** The ids of the leads whose `field` has one of `values` (up to 300), by lookupKey of the value. */
  async findLeads(field: string, values: string[]): Promise<Map<string, number[]>> {
    if (values.length > RECORDS_PER_CALL) throw new RangeError(`At most ${RECORDS_PER_CALL} values a lookup`);
    const found = new Map<string, number[]>();
    let nextPageToken: string | undefined;
    do {
      const params = new URLSearchParams({ filterType: field, filterValues: values.join(','), fields: `id,${field}` });
      if (nextPageToken) params.set('nextPageToken', nextPageToken);
      const long = params.toString().length > MAX_QUERY_CHARS;
      const response = await this.client.call({
        method: long ? 'POST' : 'GET',
        path: '/rest/v1/leads.json',
        query: long ? { _method: 'GET' } : Object.fromEntries(params),
        ...(long ? { body: { fields: params } } : {}),
        schema: LookupResponse,
      });
      for (const lead of response.result) {
        const key = lookupKey(lead[field] ?? '');
        const ids = found.get(key);
        if (ids) ids.push(lead.id);
        else found.set(key, [lead.id]);
      }
      nextPageToken = response.moreResult ? response.nextPageToken : undefined;
    } while (nextPageToken);
    return found;
  }
}
