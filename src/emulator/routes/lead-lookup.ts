import { keyOf } from '../seed/cells.js';
import { multiValues, readFormBody } from '../http/json-request.js';
import type { RequestContext, Route } from '../http/route.js';
import type { FieldSpec } from '../seed/catalog.js';
import { MAX_RECORDS } from './deletes.js';

/** "If unset will return email, updatedAt, createdAt, lastName, firstName and id". */
const DEFAULT_FIELDS = ['email', 'updatedAt', 'createdAt', 'lastName', 'firstName', 'id'];

/** Get Leads by Filter Type: the leads whose `filterType` field has one of up to 300 `filterValues`. */
function lookup(ctx: RequestContext, params: URLSearchParams): void {
  const { catalog, stores } = ctx.services;
  const filterType = params.get('filterType');
  if (!filterType) return ctx.reply.error('1002', "Missing value for the required parameter 'filterType'");
  const field = catalog.lead.field(filterType);
  if (!field || !catalog.isLookupField(filterType)) return ctx.reply.error('1003', `Invalid filterType '${filterType}'`);
  const values = multiValues(params, 'filterValues');
  if (values.length === 0) return ctx.reply.error('1002', "Missing value for the required parameter 'filterValues'");
  if (values.length > MAX_RECORDS) return ctx.reply.error('1003', `filterValues exceeds the limit of ${MAX_RECORDS}`);
  const requested = multiValues(params, 'fields');
  const names = requested.length > 0 ? requested : DEFAULT_FIELDS;
  const fields: FieldSpec[] = [];
  for (const name of names) {
    const spec = catalog.lead.field(name);
    if (!spec) return ctx.reply.error('1006', `Field '${name}' not found`);
    fields.push(spec);
  }
  const { leads } = stores;
  const rows = new Set<number>();
  for (const value of values) {
    const row = field === leads.idField ? leads.rowOfId(Number(value)) : leads.table.find(field, keyOf(field.kind, value));
    if (row !== undefined) rows.add(row);
  }
  const result = [...rows]
    .sort((a, b) => a - b)
    .map((row) => {
      const lead: Record<string, unknown> = { id: leads.idOf(row) };
      for (const spec of fields) lead[spec.name] = leads.table.read(row, spec) ?? null;
      return lead;
    });
  ctx.reply.ok(result);
}

export const leadLookupRoutes: Route[] = [
  { method: 'GET', pattern: /^\/rest\/v1\/leads\.json$/, access: 'api', handle: (ctx) => lookup(ctx, ctx.url.searchParams) },
  {
    // A long filter goes in a form body: POST with `_method=GET`, as Marketo documents for long URLs.
    // A plain POST here would be Sync Leads, which the emulator does not model.
    method: 'POST',
    pattern: /^\/rest\/v1\/leads\.json$/,
    access: 'api',
    handle: async (ctx) => {
      if (ctx.url.searchParams.get('_method') !== 'GET') return ctx.reply.error('610', 'Requested resource not found');
      const form = await readFormBody(ctx);
      if (form === 'too-large') return ctx.reply.text(413, 'Request Entity Too Large', 'text/plain');
      lookup(ctx, form);
    },
  },
];
