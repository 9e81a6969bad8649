// Airbyte data activation: the objects this destination can write, as DESTINATION_CATALOG operations, and how a
// configured stream's `destination_object_name` maps back onto an import target.
import type { FieldInfo, ObjectSchema } from '../marketo/describe.js';
import type { DestinationOperation } from '../protocol/messages.js';
import { canBeLookupField } from './preflight.js';

export const LEADS = 'leads';
export const PROGRAM_MEMBERS = 'program_members';
export const CUSTOM_OBJECT_PREFIX = 'custom_object:';
/** Program member rows carry their program and status as columns; they become URL parameters, not CSV columns. */
export const PROGRAM_ID_COLUMN = 'programId';
export const STATUS_COLUMN = 'programMemberStatus';

export type Operation = DestinationOperation;

const JSON_TYPES: Record<string, Record<string, unknown>> = {
  integer: { type: 'integer' },
  float: { type: 'number' },
  currency: { type: 'number' },
  number: { type: 'number' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date' },
  datetime: { type: 'string', format: 'date-time' },
};

/** Marketo data type → JSON Schema; string, email, phone, url, text and anything unknown are strings. */
export function jsonTypeOf(dataType: string): Record<string, unknown> {
  return JSON_TYPES[dataType.toLowerCase()] ?? { type: 'string' };
}

function objectSchema(fields: FieldInfo[], required: string[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const field of fields) properties[field.name] = jsonTypeOf(field.dataType);
  // Marketo rejects a header naming a field the object does not have (1006).
  return { type: 'object', additionalProperties: false, required, properties };
}

const writable = (fields: FieldInfo[], always: string[]): FieldInfo[] =>
  fields.filter((f) => f.updateable || always.includes(f.name));

/** The operations for an instance's schema: leads (upsert and update-only), each custom object, program members. */
export function buildOperations(
  leads: ObjectSchema,
  customObjects: Map<string, ObjectSchema>,
  memberFields: FieldInfo[],
): Operation[] {
  const lookupKeys = leads.fields
    .filter((f) => f.name !== 'email' && f.name !== 'id' && canBeLookupField(f, leads))
    .map((f) => [f.name]);
  // A key column is sent for matching, not written: read-only lookup fields (sfdcLeadId, ...) must be mappable too.
  const leadFields = writable(leads.fields, ['email', ...lookupKeys.flat()]);
  const operations: Operation[] = [
    { object_name: LEADS, sync_mode: 'append_dedup', json_schema: objectSchema(leadFields, []), matching_keys: [['email'], ...lookupKeys] },
    {
      object_name: LEADS,
      sync_mode: 'update',
      json_schema: objectSchema(writable(leads.fields, ['id']), ['id']),
      matching_keys: [['id']],
    },
  ];
  for (const [apiName, schema] of [...customObjects].sort(([a], [b]) => a.localeCompare(b))) {
    const dedupe = schema.keys[0] ?? [];
    operations.push({
      object_name: `${CUSTOM_OBJECT_PREFIX}${apiName}`,
      sync_mode: 'append_dedup',
      json_schema: objectSchema(writable(schema.fields, dedupe), dedupe),
      matching_keys: dedupe.length ? [dedupe] : [],
    });
  }
  const memberSchema = objectSchema(
    [
      { name: 'email', dataType: 'email', updateable: true },
      { name: PROGRAM_ID_COLUMN, dataType: 'integer', updateable: true },
      { name: STATUS_COLUMN, dataType: 'string', updateable: true },
      ...writable(memberFields, []),
    ],
    ['email', PROGRAM_ID_COLUMN, STATUS_COLUMN],
  );
  operations.push({
    object_name: PROGRAM_MEMBERS,
    sync_mode: 'append_dedup',
    json_schema: memberSchema,
    matching_keys: [['email', PROGRAM_ID_COLUMN]],
  });
  return operations;
}
