// Which records of a stream are deletions and what becomes of them: streams mapped with action "delete" and
// data activation's soft_delete delete every record; with CDC sources, a record whose _ab_cdc_deleted_at is set is a
// deletion, handled as cdc_deletes says.
import type { Column } from '../encoding/columns.js';
import type { Config } from '../config/schema.js';
import type { ImportTarget } from '../marketo/bulk-import.js';
import type { StreamDeletes } from '../pipeline/stream-target.js';
import { PROGRAM_ID_COLUMN } from './activation.js';

export const CDC_DELETED_AT = '_ab_cdc_deleted_at';
/** The id field of every Marketo custom object: deleting by it is deleteBy idField. */
export const CUSTOM_OBJECT_ID_FIELD = 'marketoGUID';
/** Program member rows that name their lead by id instead of email. */
export const LEAD_ID_COLUMN = 'leadId';

/** A stream whose every record is a deletion; the key is settled once the object is described. */
export function everyRecordDeleted(key?: string[]): StreamDeletes {
  return { records: 'every', effect: 'delete', ...(key ? { key } : {}) };
}

const hasProperty = (jsonSchema: unknown, name: string): boolean => {
  const properties = (jsonSchema as { properties?: unknown } | undefined)?.properties;
  return typeof properties === 'object' && properties !== null && Object.hasOwn(properties, name);
};

/**
 * What a CDC deletion in an upsert stream does. `remove_from_list` only fits leads imported into a static list: a
 * CDC stream (one that declares _ab_cdc_deleted_at) of any other mapping is a configuration error, returned as text.
 */
export function cdcDeletes(config: Config, target: ImportTarget, jsonSchema: unknown): StreamDeletes | string {
  switch (config.cdc_deletes) {
    case 'ignore':
      return { records: 'cdc', effect: 'reject', reason: 'deletion not applied (cdc_deletes is ignore)' };
    case 'delete':
      return { records: 'cdc', effect: 'delete' };
    case 'remove_from_list':
      if (target.kind === 'leads' && target.listId !== undefined) return { records: 'cdc', effect: 'remove_from_list' };
      if (hasProperty(jsonSchema, CDC_DELETED_AT)) {
        return `cdc_deletes "remove_from_list" applies only to leads mapped with list_id, and this stream is mapped to ${target.kind === 'leads' ? 'leads without list_id' : target.kind.replace('_', ' ')}`;
      }
      return {
        records: 'cdc',
        effect: 'reject',
        reason: 'deletion not applied (cdc_deletes is remove_from_list, which applies only to leads mapped with list_id)',
      };
  }
}

/**
 * The fields that name the record a deletion removes, once the object's key fields are known: the import key for a
 * CDC stream; for a stream of deletions, the key it was mapped with, else the first key its columns carry.
 * Answers a problem (text) when the columns lack it.
 */
export function deletionKey(deletes: StreamDeletes, target: ImportTarget, keyFields: string[], columns: Column[]): string[] | string {
  const names = new Set(columns.map((c) => c.name));
  const missing = (key: string[]) => key.filter((k) => !names.has(k));
  if (deletes.key) {
    const absent = missing(deletes.key);
    return absent.length === 0 ? deletes.key : `the deletion key field(s) ${absent.map((n) => `"${n}"`).join(', ')} are not among the stream's columns`;
  }
  if (deletes.records === 'cdc') return keyFields;
  const candidates =
    target.kind === 'custom_object' ? [keyFields, [CUSTOM_OBJECT_ID_FIELD]] : target.kind === 'program_members' ? [['email'], [LEAD_ID_COLUMN]] : [keyFields];
  const key = candidates.find((k) => k.length > 0 && missing(k).length === 0);
  if (key) return key;
  return `a stream of deletions needs its key among its columns: ${candidates.map((k) => JSON.stringify(k)).join(' or ')}`;
}

/** Data activation soft_delete: the matching keys discover offers, the programId column set aside. */
export function softDeleteKey(object: 'leads' | 'custom_object' | 'program_members', declared: string[]): string[] | string {
  switch (object) {
    case 'leads':
      return declared.length === 1 ? declared : `choose exactly one matching key field for leads, not ${JSON.stringify(declared)}`;
    case 'custom_object':
      return declared.length > 0 ? declared : 'choose the dedupe fields or [["marketoGUID"]] as matching key';
    case 'program_members': {
      const lead = declared.filter((k) => k !== PROGRAM_ID_COLUMN);
      const valid = declared.includes(PROGRAM_ID_COLUMN) && lead.length === 1 && (lead[0] === 'email' || lead[0] === LEAD_ID_COLUMN);
      return valid ? lead : `program members are deleted by [["email","${PROGRAM_ID_COLUMN}"]] or [["${LEAD_ID_COLUMN}","${PROGRAM_ID_COLUMN}"]], not ${JSON.stringify(declared)}`;
    }
  }
}
