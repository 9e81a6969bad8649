import { keyOf } from '../seed/cells.js';
import { isRefusal, multiValues, readJsonBody, type Refusal } from '../http/json-request.js';
import type { RequestContext, Route } from '../http/route.js';
import type { CustomObjectType } from '../seed/catalog.js';

/** "The max batch size for this endpoint is 300" (every delete and list call). */
export const MAX_RECORDS = 300;

type Item = Record<string, unknown>;

/** A record-level outcome; `fields` identify the record in the result row (id, leadId, marketoGUID). */
type Outcome = { fields: Item; status: 'deleted' | 'removed' } | { fields: Item; status: 'skipped'; reason: Refusal };

const LEAD_NOT_FOUND: Refusal = { code: '1004', message: 'Lead not found' };
const RECORD_NOT_FOUND: Refusal = { code: '1013', message: 'Object not found' };

function skipped(fields: Item, reason: Refusal): Outcome {
  return { fields, status: 'skipped', reason };
}

/** Answers 603 for a read-only API user: every call here needs Read-Write Lead or Read-Write Custom Object. */
function mayWrite(ctx: RequestContext): boolean {
  if (ctx.services.options.permissions === 'read-write') return true;
  ctx.reply.error('603', 'Access denied');
  return false;
}

/**
 * The `input` array of the JSON body, or (where the call allows it) `id` from the query string.
 * Refuses a missing or empty input (1002), more than 300 records (1003) and anything not an array of objects (1001).
 */
async function inputOf(ctx: RequestContext, idsInQuery: boolean): Promise<{ input: Item[]; body: Item } | Refusal> {
  const json = await readJsonBody(ctx);
  if (json === 'too-large') return { code: '413', message: 'Request Entity Too Large' };
  if (isRefusal(json)) return json;
  let body: Item = {};
  let input: unknown;
  if (json === undefined && idsInQuery) {
    const ids = multiValues(ctx.url.searchParams, 'id');
    input = ids.length === 0 ? undefined : ids.map((id) => ({ id: /^\d+$/.test(id) ? Number(id) : id }));
  } else if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    body = json as Item;
    input = body.input;
  }
  if (input === undefined || (Array.isArray(input) && input.length === 0)) {
    return { code: '1002', message: "Missing value for the required parameter 'input'" };
  }
  if (!Array.isArray(input) || !input.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
    return { code: '1001', message: "Invalid value 'input'. Required of type 'List'" };
  }
  if (input.length > MAX_RECORDS) return { code: '1003', message: `Input exceeds the limit of ${MAX_RECORDS} records` };
  return { input: input as Item[], body };
}

/** The integer in `item[name]`, or the request-level 1001 Marketo answers for a value of the wrong type. */
function integerIn(item: Item, name: string): number | Refusal {
  const value = item[name];
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  return { code: '1001', message: `Invalid value '${String(value)}'. Required of type 'Integer'` };
}

/**
 * Reads the input, checks every record (a bad one refuses the whole call, before anything is deleted),
 * then applies them in order and answers the per-record results.
 */
async function run<T>(
  ctx: RequestContext,
  idsInQuery: boolean,
  parse: (item: Item, body: Item) => T | Refusal,
  apply: (parsed: T) => Outcome,
  row: (outcome: Outcome, seq: number) => Item,
): Promise<void> {
  if (!mayWrite(ctx)) return;
  const read = await inputOf(ctx, idsInQuery);
  if (isRefusal(read)) {
    if (read.code === '413') return ctx.reply.text(413, 'Request Entity Too Large', 'text/plain');
    return ctx.reply.error(read.code, read.message);
  }
  const parsed: T[] = [];
  for (const item of read.input) {
    const one = parse(item, read.body);
    if (isRefusal(one)) return ctx.reply.error(one.code, one.message);
    parsed.push(one);
  }
  ctx.reply.ok(parsed.map((one, seq) => row(apply(one), seq)));
}

function statusFields(outcome: Outcome): Item {
  return outcome.status === 'skipped' ? { status: 'skipped', reasons: [outcome.reason] } : { status: outcome.status };
}

/** Lead and list results carry no `seq`: they are matched by `id`. */
const byId = (outcome: Outcome): Item => ({ ...outcome.fields, ...statusFields(outcome) });
const withSeq = (outcome: Outcome, seq: number): Item => ({ seq, ...outcome.fields, ...statusFields(outcome) });

/** The lead calls: records name a lead by `id`; `act` does the call's work on one that exists. */
function byLeadId(ctx: RequestContext, act: (row: number, id: number) => Outcome): Promise<void> {
  const { leads } = ctx.services.stores;
  return run(
    ctx,
    true,
    (item) => integerIn(item, 'id'),
    (id) => {
      const row = leads.rowOfId(id);
      return row === undefined ? skipped({ id }, LEAD_NOT_FOUND) : act(row, id);
    },
    byId,
  );
}

function deleteLeads(ctx: RequestContext): Promise<void> {
  return byLeadId(ctx, (row, id) => {
    ctx.services.stores.deleteLead(row);
    return { fields: { id }, status: 'deleted' };
  });
}

function removeFromList(ctx: RequestContext): Promise<void> {
  const listId = Number(ctx.params[0]);
  return byLeadId(ctx, (row, id) => {
    if (!ctx.services.stores.leads.removeFromList(listId, row)) return skipped({ id }, { code: '1015', message: 'Lead not in list' });
    return { fields: { id }, status: 'removed' };
  });
}

function deleteProgramMembers(ctx: RequestContext): Promise<void> {
  const { stores, catalog } = ctx.services;
  const programId = Number(ctx.params[0]);
  if (!catalog.program(programId)) return Promise.resolve(ctx.reply.error('1013', `Program '${ctx.params[0]}' not found`));
  return run(
    ctx,
    false,
    (item) => integerIn(item, 'leadId'),
    (leadId) => {
      if (stores.leads.rowOfId(leadId) === undefined) return skipped({ leadId }, LEAD_NOT_FOUND);
      if (!stores.programMembers.remove(programId, leadId)) {
        return skipped({ leadId }, { code: '1013', message: 'Program member not found' });
      }
      return { fields: { leadId }, status: 'deleted' };
    },
    withSeq,
  );
}

/** The id field the describe call names: marketoGUID, or the first dedupe field of an object without one. */
function idFieldOf(type: CustomObjectType) {
  return type.schema.field('marketoGUID') ?? type.dedupe[0]!;
}

function scalar(value: unknown): string | undefined {
  return typeof value === 'string' ? (value === '' ? undefined : value) : typeof value === 'number' ? String(value) : undefined;
}

function deleteCustomObjects(ctx: RequestContext): Promise<void> {
  const { stores, catalog } = ctx.services;
  const apiName = ctx.params[0]!;
  const type = catalog.customObject(apiName);
  if (!type) return Promise.resolve(ctx.reply.error('1013', 'Object not found'));
  const idField = idFieldOf(type);
  return run<{ item: Item; byId: boolean }>(
    ctx,
    false,
    (item, body) => {
      const deleteBy = body.deleteBy ?? 'dedupeFields';
      if (deleteBy !== 'dedupeFields' && deleteBy !== 'idField') return { code: '1003', message: `Invalid deleteBy '${String(deleteBy)}'` };
      return { item, byId: deleteBy === 'idField' };
    },
    ({ item, byId }) => {
      if (byId) {
        const id = scalar(item[idField.name]);
        if (id === undefined) return skipped({}, { code: '1003', message: `Value for required field '${idField.name}' not specified` });
        const deleted =
          idField === type.schema.field('marketoGUID')
            ? stores.customObjects.removeById(apiName, idField, id)
            : stores.customObjects.removeByKey(apiName, keyOf(idField.kind, id));
        if (deleted === undefined) return skipped({ marketoGUID: id }, RECORD_NOT_FOUND);
        return { fields: { marketoGUID: deleted }, status: 'deleted' };
      }
      const values = type.dedupe.map((field) => scalar(item[field.name]));
      const missing = type.dedupe.find((_, i) => values[i] === undefined);
      if (missing) return skipped({}, { code: '1003', message: `Value for required field '${missing.name}' not specified` });
      const key = type.dedupe.map((field, i) => keyOf(field.kind, values[i]!)).join('\u0000');
      const deleted = stores.customObjects.removeByKey(apiName, key);
      // Marketo's documented answer for a record it cannot find carries no marketoGUID.
      if (deleted === undefined) return skipped({}, RECORD_NOT_FOUND);
      return { fields: { marketoGUID: deleted }, status: 'deleted' };
    },
    withSeq,
  );
}

export const deleteRoutes: Route[] = [
  { method: 'POST', pattern: /^\/rest\/v1\/leads\/delete\.json$/, access: 'api', handle: deleteLeads },
  { method: 'POST', pattern: /^\/rest\/v1\/customobjects\/([^/]+)\/delete\.json$/, access: 'api', handle: deleteCustomObjects },
  { method: 'POST', pattern: /^\/rest\/v1\/programs\/(\d+)\/members\/delete\.json$/, access: 'api', handle: deleteProgramMembers },
  { method: 'DELETE', pattern: /^\/rest\/v1\/lists\/(\d+)\/leads\.json$/, access: 'api', handle: removeFromList },
];
