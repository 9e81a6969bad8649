import { randomUUID } from 'node:crypto';
import type { Catalog, CustomObjectType } from '../seed/catalog.js';
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
    const entry = this.tables.get(apiName);
    if (!entry) throw new Error(`Unknown custom object ${apiName}`);
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

  counts(): Record<string, number> {
    return Object.fromEntries([...this.tables].map(([apiName, { table }]) => [apiName, table.size]));
  }
}
