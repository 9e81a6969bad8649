import { randomUUID } from 'node:crypto';
import type { Catalog, CustomObjectType } from '../seed/catalog.js';
import { RecordTable } from './record-table.js';

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

  /** The row for a dedupe key (already normalised and joined by the caller), created if new. */
  upsert(apiName: string, key: string, stamp: string): number {
    const entry = this.tables.get(apiName);
    if (!entry) throw new Error(`Unknown custom object ${apiName}`);
    const existing = entry.byKey.get(key);
    if (existing !== undefined) return existing;
    const row = entry.table.insert();
    entry.byKey.set(key, row);
    const { schema } = entry.type;
    const guid = schema.field('marketoGUID');
    const createdAt = schema.field('createdAt');
    if (guid) entry.table.write(row, guid, randomUUID());
    if (createdAt) entry.table.write(row, createdAt, stamp);
    return row;
  }

  touch(apiName: string, row: number, stamp: string): void {
    const entry = this.tables.get(apiName);
    const updatedAt = entry?.type.schema.field('updatedAt');
    if (entry && updatedAt) entry.table.write(row, updatedAt, stamp);
  }

  counts(): Record<string, number> {
    return Object.fromEntries([...this.tables].map(([apiName, { table }]) => [apiName, table.size]));
  }
}
