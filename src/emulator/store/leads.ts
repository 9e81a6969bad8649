import type { FieldSpec, ObjectSchema } from '../seed/catalog.js';
import { RecordTable } from './record-table.js';

/** Leads, keyed by their Marketo id (row number + 1), plus static list memberships. */
export class LeadStore {
  readonly table: RecordTable;
  readonly idField: FieldSpec;
  readonly emailField: FieldSpec;
  private readonly createdAt: FieldSpec | undefined;
  private readonly updatedAt: FieldSpec | undefined;
  private readonly lists = new Map<number, Set<number>>();

  constructor(schema: ObjectSchema) {
    this.table = new RecordTable(schema);
    this.idField = schema.required('id', 'leadFields');
    this.emailField = schema.required('email', 'leadFields');
    this.createdAt = schema.field('createdAt');
    this.updatedAt = schema.field('updatedAt');
  }

  /** The lead whose `field` matches `key`, created (with a new id) if there is none. */
  upsert(field: FieldSpec, key: string, stamp: string): number {
    const existing = this.table.find(field, key);
    if (existing !== undefined) return existing;
    const row = this.table.insert();
    this.table.write(row, this.idField, row + 1);
    if (this.createdAt) this.table.write(row, this.createdAt, stamp);
    return row;
  }

  touch(row: number, stamp: string): void {
    if (this.updatedAt) this.table.write(row, this.updatedAt, stamp);
  }

  idOf(row: number): number {
    return row + 1;
  }

  addToList(listId: number, row: number): void {
    let members = this.lists.get(listId);
    if (!members) this.lists.set(listId, (members = new Set()));
    members.add(this.idOf(row));
  }

  listMembers(listId: number): number[] {
    return [...(this.lists.get(listId) ?? [])];
  }
}
