import { randomUUID } from 'node:crypto';
import { keyOf } from '../seed/cells.js';
import type { Catalog, CustomObjectType, FieldSpec } from '../seed/catalog.js';
import { detach, RecordTable, type Slots } from './record-table.js';

interface ObjectTable {
  type: CustomObjectType;
  table: RecordTable;
  /** Compound dedupe key → row. */
  byKey: Map<string, number>;
}

/** Records of every seeded custom object type, upserted by their dedupe fields. */
export class CustomObjectStore {
  private readonly tables = new Map<string, ObjectTable>();

  constructor(catalog: Catalog) {
    for (const seed of catalog.seed.customObjects) {
      const type = catalog.customObject(seed.apiName);
      if (type) this.tables.set(seed.apiName, { type, table: new RecordTable(type.schema), byKey: new Map() });
    }
  }

  table(apiName: string): RecordTable | undefined {
    return this.tables.get(apiName)?.table;
  }

  /** Edits the record with this dedupe key (normalised and joined by the caller), creating it if new. */
  upsert(apiName: string, key: string, stamp: string, edit: (slots: Slots) => void): void {
    const entry = this.entry(apiName);
    const { schema } = entry.type;
    const updatedAt = schema.field('updatedAt');
    const stamped = (slots: Slots): void => {
      edit(slots);
      if (updatedAt) slots[updatedAt.position] = stamp;
    };
    const existing = entry.byKey.get(key);
    if (existing !== undefined) return entry.table.update(existing, stamped);
    const guid = schema.field('marketoGUID');
    const createdAt = schema.field('createdAt');
    const row = entry.table.insert((slots) => {
      if (guid) slots[guid.position] = randomUUID();
      if (createdAt) slots[createdAt.position] = stamp;
      stamped(slots);
    });
    entry.byKey.set(detach(key), row);
  }

  /** Deletes the record with this dedupe key; answers its marketoGUID (or key), undefined if there is none. */
  removeByKey(apiName: string, key: string): string | undefined {
    const entry = this.entry(apiName);
    const row = entry.byKey.get(key);
    if (row === undefined) return undefined;
    return this.remove(entry, row, key);
  }

  /** Deletes the record whose id field (marketoGUID) has this value; answers it, or undefined if there is none. */
  removeById(apiName: string, idField: FieldSpec, id: string): string | undefined {
    const entry = this.entry(apiName);
    const row = entry.table.find(idField, keyOf(idField.kind, id));
    if (row === undefined) return undefined;
    const key = entry.type.dedupe.map((field) => keyOf(field.kind, entry.table.raw(row, field) ?? '')).join('\u0000');
    return this.remove(entry, row, key);
  }

  private remove(entry: ObjectTable, row: number, key: string): string | undefined {
    const guid = entry.type.schema.field('marketoGUID');
    const id = guid ? entry.table.raw(row, guid) : key;
    entry.table.remove(row);
    entry.byKey.delete(key);
    return id ?? undefined;
  }

  private entry(apiName: string): ObjectTable {
    const entry = this.tables.get(apiName);
    if (!entry) throw new Error(`Unknown custom object ${apiName}`);
    return entry;
  }

  counts(): Record<string, number> {
    return Object.fromEntries([...this.tables].map(([apiName, { table }]) => [apiName, table.live]));
  }
}
