import { keyOf, type StoredValue } from '../import/cells.js';
import type { FieldSpec, ObjectSchema } from '../seed/catalog.js';

/** A stored record: one slot per schema field; `undefined` means never written. */
type Row = (StoredValue | undefined)[];

/**
 * Records of one object type, stored as arrays aligned with the schema to keep a million rows
 * compact. Indexes on single fields are built on first use and kept up to date on writes.
 */
export class RecordTable {
  private readonly rows: Row[] = [];
  private readonly indexes = new Map<FieldSpec, Map<string, number>>();

  constructor(readonly schema: ObjectSchema) {}

  get size(): number {
    return this.rows.length;
  }

  /** Adds an empty record and returns its row number. */
  insert(): number {
    this.rows.push(new Array<StoredValue | undefined>(this.schema.fields.length));
    return this.rows.length - 1;
  }

  find(field: FieldSpec, key: string): number | undefined {
    return this.index(field).get(key);
  }

  read(row: number, field: FieldSpec): StoredValue | undefined {
    return this.rows[row]?.[field.position];
  }

  write(row: number, field: FieldSpec, value: StoredValue): void {
    const record = this.rows[row];
    if (!record) throw new RangeError(`No row ${row}`);
    const index = this.indexes.get(field);
    if (index) {
      const old = record[field.position];
      if (old !== undefined && old !== null && index.get(keyOf(field.kind, String(old))) === row) {
        index.delete(keyOf(field.kind, String(old)));
      }
      if (value !== null) index.set(keyOf(field.kind, String(value)), row);
    }
    record[field.position] = value;
  }

  toObject(row: number): Record<string, StoredValue> {
    const record = this.rows[row];
    const out: Record<string, StoredValue> = {};
    if (!record) return out;
    for (const field of this.schema.fields) {
      const value = record[field.position];
      if (value !== undefined) out[field.name] = value;
    }
    return out;
  }

  objects(offset = 0, limit = Infinity): Record<string, StoredValue>[] {
    const end = Math.min(this.rows.length, offset + limit);
    const out: Record<string, StoredValue>[] = [];
    for (let row = offset; row < end; row++) out.push(this.toObject(row));
    return out;
  }

  private index(field: FieldSpec): Map<string, number> {
    const existing = this.indexes.get(field);
    if (existing) return existing;
    const index = new Map<string, number>();
    this.rows.forEach((record, row) => {
      const value = record[field.position];
      if (value !== undefined && value !== null) index.set(keyOf(field.kind, String(value)), row);
    });
    this.indexes.set(field, index);
    return index;
  }
}
