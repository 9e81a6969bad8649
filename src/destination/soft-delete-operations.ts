// discover's soft_delete operations: what a data activation stream of deletions can name its records by.
import type { FieldInfo, ObjectSchema } from '../marketo/describe.js';
import { CUSTOM_OBJECT_PREFIX, LEADS, objectSchema, PROGRAM_ID_COLUMN, PROGRAM_MEMBERS, type Operation } from './activation.js';
import { CUSTOM_OBJECT_ID_FIELD, LEAD_ID_COLUMN } from './deletions.js';
import { canBeLookupField } from './preflight.js';

/** Only the key fields are read from a deletion, so the schema lists those. */
function keysOnly(fields: FieldInfo[], keys: string[][]): Record<string, unknown> {
  const names = new Set(keys.flat());
  return objectSchema(fields.filter((f) => names.has(f.name)), []);
}

export function softDeleteOperations(leads: ObjectSchema, customObjects: Map<string, ObjectSchema>): Operation[] {
  const lookups = leads.fields.filter((f) => f.name !== 'id' && canBeLookupField(f, leads)).map((f) => [f.name]);
  const leadKeys = [['id'], ...lookups];
  const operations: Operation[] = [
    { object_name: LEADS, sync_mode: 'soft_delete', json_schema: keysOnly(leads.fields, leadKeys), matching_keys: leadKeys },
  ];
  for (const [apiName, schema] of [...customObjects].sort(([a], [b]) => a.localeCompare(b))) {
    const dedupe = schema.keys[0] ?? [];
    const keys = [...(dedupe.length ? [dedupe] : []), [CUSTOM_OBJECT_ID_FIELD]];
    const fields = schema.fields.some((f) => f.name === CUSTOM_OBJECT_ID_FIELD)
      ? schema.fields
      : [...schema.fields, { name: CUSTOM_OBJECT_ID_FIELD, dataType: 'string', updateable: false }];
    operations.push({ object_name: `${CUSTOM_OBJECT_PREFIX}${apiName}`, sync_mode: 'soft_delete', json_schema: keysOnly(fields, keys), matching_keys: keys });
  }
  const memberKeys = [['email', PROGRAM_ID_COLUMN], [LEAD_ID_COLUMN, PROGRAM_ID_COLUMN]];
  const memberFields: FieldInfo[] = [
    { name: 'email', dataType: 'email', updateable: true },
    { name: LEAD_ID_COLUMN, dataType: 'integer', updateable: true },
    { name: PROGRAM_ID_COLUMN, dataType: 'integer', updateable: true },
  ];
  operations.push({ object_name: PROGRAM_MEMBERS, sync_mode: 'soft_delete', json_schema: keysOnly(memberFields, memberKeys), matching_keys: memberKeys });
  return operations;
}
