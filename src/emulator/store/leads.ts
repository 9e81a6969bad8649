import type { FieldSpec, ObjectSchema } from '../seed/catalog.js';
import { RecordTable, type Slots } from './record-table.js';

/** Leads, whose Marketo id is their row number + 1, plus static list memberships. */
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

  idOf(row: number): number {
    return row + 1;
  }

  /** Row of the lead with this id, if it exists. */
  rowOfId(id: number): number | undefined {
    return this.table.has(id - 1) ? id - 1 : undefined;
  }

  /** Edits the lead whose `field` matches `key`, creating it (with a new id) if there is none. */
  upsert(field: FieldSpec, key: string, stamp: string, edit: (slots: Slots) => void): number {
    const existing = this.table.find(field, key);
    if (existing !== undefined) {
      this.update(existing, stamp, edit);
      return existing;
    }
    return this.table.insert((slots) => {
      slots[this.idField.position] = String(this.idOf(this.table.size));
      if (this.createdAt) slots[this.createdAt.position] = stamp;
      edit(slots);
      if (this.updatedAt) slots[this.updatedAt.position] = stamp;
    });
  }

  update(row: number, stamp: string, edit: (slots: Slots) => void): void {
    this.table.update(row, (slots) => {
      edit(slots);
      if (this.updatedAt) slots[this.updatedAt.position] = stamp;
    });
  }

  addToList(listId: number, row: number): void {
    let members = this.lists.get(listId);
    if (!members) this.lists.set(listId, (members = new Set()));
    members.add(this.idOf(row));
  }

  /** Deletes the lead and its list memberships (program memberships are the caller's). */
  remove(row: number): void {
    this.table.remove(row);
    for (const members of this.lists.values()) members.delete(this.idOf(row));
  }

  /** Takes the lead out of the list; false if it was not in it. */
  removeFromList(listId: number, row: number): boolean {
    return this.lists.get(listId)?.delete(this.idOf(row)) ?? false;
  }

  listMembers(listId: number): number[] {
    return [...(this.lists.get(listId) ?? [])];
  }
}
